package io.github.idallocator.tasks;

import io.github.idallocator.internal.Checks;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed task waits before its next attempt: {@code initial * multiplier^(attempt - 1)}, at most {@code
 * max}, shortened by a random part of up to {@code jitter} of itself, so that tasks failed by one outage do not all come
 * back at once.
 *
 * @param initial the wait after the first failed attempt (0 to 1 day; 0 retries at once)
 * @param max the longest wait (at least {@code initial}, at most 1 day)
 * @param multiplier how much longer each next wait is (1 to 100; 1 is a fixed wait)
 * @param jitter the largest part of a wait taken off at random (0 to 1; 0 makes the schedule exact)
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /** The longest wait between two attempts: 1 day. */
    public static final Duration MAX_WAIT = Duration.ofDays(1);

    /** The default: 1 second, doubling up to 5 minutes, with up to 20 % jitter. */
    public static final Backoff DEFAULT = exponential(Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** Checks every value. */
    public Backoff {
        String owner = "the retry backoff";
        Checks.requireBetween(
                "initial", initial, Duration.ZERO, MAX_WAIT, owner, "use a duration such as PT1S (the default)");
        Checks.requireBetween(
                "max", max, initial, MAX_WAIT, owner, "use a duration no shorter than the initial wait " + initial);
        if (!(multiplier >= 1 && multiplier <= 100)) {
            throw new io.github.idallocator.InvalidArgumentException(
                    "multiplier",
                    multiplier,
                    "multiplier " + multiplier + " of " + owner + " must be 1 to 100",
                    "use 2 to double each wait, or 1 for a fixed wait");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new io.github.idallocator.InvalidArgumentException(
                    "jitter",
                    jitter,
                    "jitter " + jitter + " of " + owner + " must be 0 to 1",
                    "use 0.2 (the default), or 0 for an exact schedule");
        }
    }

    /** Doubling waits from {@code initial} up to {@code max}, with up to 20 % jitter. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2, 0.2);
    }

    /** The same wait before every retry, without jitter. */
    public static Backoff fixed(Duration wait) {
        return new Backoff(wait, wait, 1, 0);
    }

    /** This backoff with another jitter (0 to 1). */
    public Backoff withJitter(double value) {
        return new Backoff(initial, max, multiplier, value);
    }

    /** The wait before the attempt after failed attempt {@code attempt} (1 for the first), jitter applied. */
    public Duration delay(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long capped = (long) Math.min(millis, max.toMillis());
        if (jitter == 0 || capped == 0) {
            return Duration.ofMillis(capped);
        }
        long off = (long) (capped * jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(capped - off);
    }
}
