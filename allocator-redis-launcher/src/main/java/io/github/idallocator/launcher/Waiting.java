package io.github.idallocator.launcher;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: checks a condition repeatedly until it holds or time runs out. */
public final class Waiting {

    /** The pause between checks of {@link #until(Duration, BooleanSupplier)}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(25);

    private Waiting() {}

    /** Returns {@code true} as soon as {@code condition} holds, {@code false} once {@code timeout} has passed. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        return until(timeout, DEFAULT_INTERVAL, condition);
    }

    /** Like {@link #until(Duration, BooleanSupplier)}, pausing {@code interval} between checks. */
    public static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            sleep(interval);
        }
    }

    /**
     * Sleeps for {@code duration}.
     *
     * @throws IllegalStateException if the thread is interrupted (its interrupt flag is set again)
     */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
