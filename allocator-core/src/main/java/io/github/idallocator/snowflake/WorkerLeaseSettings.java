package io.github.idallocator.snowflake;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Timing of a worker-id lease.
 *
 * @param ttl how long the lease lasts without renewal
 * @param heartbeatInterval how often it is renewed (at most a third of the TTL)
 * @param safetyMargin how long before the local end of the lease the generator already stops issuing ids
 * @param maxHandoverWait how long a new holder waits for its clock to pass the previous holder's last timestamp;
 *     beyond it, another worker id is taken
 */
public record WorkerLeaseSettings(
        Duration ttl, Duration heartbeatInterval, Duration safetyMargin, Duration maxHandoverWait) {

    /** The shortest lease time: 30 ms. */
    public static final Duration MIN_TTL = Duration.ofMillis(30);

    /** The longest handover wait: 1 minute (taking a worker id blocks for up to this long). */
    public static final Duration MAX_HANDOVER_WAIT = Duration.ofMinutes(1);

    /** 30 s lease, renewed every 10 s, 1 s margin, 2 s handover wait. */
    public static final WorkerLeaseSettings DEFAULT = new WorkerLeaseSettings(
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2));

    /**
     * Checks that renewal comes at least three times per TTL and the margin leaves time to issue ids; the {@link
     * InvalidArgumentException} names the setting, its value and what would be accepted.
     */
    public WorkerLeaseSettings {
        requireSet("ttl", ttl);
        requireSet("heartbeatInterval", heartbeatInterval);
        requireSet("safetyMargin", safetyMargin);
        requireSet("maxHandoverWait", maxHandoverWait);
        if (ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidArgumentException(
                    "ttl",
                    ttl,
                    "ttl " + ttl + " of the worker lease must be at least " + MIN_TTL.toMillis() + " ms",
                    "use a duration such as " + DEFAULT.ttl() + " (the default)");
        }
        if (heartbeatInterval.toMillis() < 1
                || heartbeatInterval.multipliedBy(3).compareTo(ttl) > 0) {
            throw new InvalidArgumentException(
                    "heartbeatInterval",
                    heartbeatInterval,
                    "heartbeatInterval " + heartbeatInterval + " of the worker lease must be positive and at most a "
                            + "third of ttl " + ttl + ", so that a lease survives two missed renewals",
                    "use at most " + Duration.ofMillis(ttl.toMillis() / 3) + ", or raise ttl");
        }
        if (safetyMargin.isNegative() || safetyMargin.plus(heartbeatInterval).compareTo(ttl) >= 0) {
            throw new InvalidArgumentException(
                    "safetyMargin",
                    safetyMargin,
                    "safetyMargin " + safetyMargin + " of the worker lease must be zero or more, and safetyMargin + "
                            + "heartbeatInterval must stay below ttl " + ttl
                            + ", so that a renewal can land before ids stop",
                    "use less than " + ttl.minus(heartbeatInterval) + ", such as " + DEFAULT.safetyMargin()
                            + " (the default)");
        }
        if (maxHandoverWait.isNegative() || maxHandoverWait.compareTo(MAX_HANDOVER_WAIT) > 0) {
            throw new InvalidArgumentException(
                    "maxHandoverWait",
                    maxHandoverWait,
                    "maxHandoverWait " + maxHandoverWait + " of the worker lease must be between zero and "
                            + MAX_HANDOVER_WAIT + " (taking a worker id blocks for up to this long)",
                    "use a duration such as " + DEFAULT.maxHandoverWait() + " (the default)");
        }
    }

    private static void requireSet(String setting, @Nullable Duration value) {
        if (value == null) {
            throw new InvalidArgumentException(
                    setting, null, setting + " of the worker lease is not set", "give a Duration");
        }
    }
}
