package io.github.idallocator.tasks;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a failed attempt asks for: a retry after the queue's backoff ({@link #BACKOFF}), a retry after a wait of its
 * own ({@link #after}), or no retry ({@link #NEVER}: the task dies at once). A task that made its last attempt dies
 * whatever it asks.
 */
public final class Retry {

    /** Retry after the queue's backoff. */
    public static final Retry BACKOFF = new Retry(true, null);

    /** Do not retry: the task moves to the dead tasks. */
    public static final Retry NEVER = new Retry(false, null);

    private final boolean retries;
    private final @Nullable Duration delay;

    private Retry(boolean retries, @Nullable Duration delay) {
        this.retries = retries;
        this.delay = delay;
    }

    /** Retry after {@code delay} (0 to 1 day; 0 retries at once). */
    public static Retry after(Duration delay) {
        if (delay == null || delay.isNegative() || delay.compareTo(Backoff.MAX_WAIT) > 0) {
            throw new InvalidArgumentException(
                    "delay",
                    delay,
                    "retry delay " + delay + " must be 0 to " + Backoff.MAX_WAIT,
                    "use a duration such as PT10S");
        }
        return new Retry(true, delay);
    }

    /** Whether the task is retried (when it has attempts left). */
    public boolean retries() {
        return retries;
    }

    /** The wait before the retry, or null for the queue's backoff. */
    public @Nullable Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return !retries ? "Retry.NEVER" : delay == null ? "Retry.BACKOFF" : "Retry.after(" + delay + ")";
    }
}
