package io.github.idallocator.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: checks a condition repeatedly until it holds or time runs out. */
final class Waiting {

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(25);

    private Waiting() {}

    /** Returns {@code true} as soon as {@code condition} holds, {@code false} once {@code timeout} has passed. */
    static boolean until(Duration timeout, BooleanSupplier condition) {
        return until(timeout, DEFAULT_INTERVAL, condition);
    }

    /** Like {@link #until(Duration, BooleanSupplier)}, pausing {@code interval} between checks. */
    static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
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

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }
}
