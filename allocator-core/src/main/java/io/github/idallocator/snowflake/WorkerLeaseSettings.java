package io.github.idallocator.snowflake;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;

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

    /** 30 s lease, renewed every 10 s, 1 s margin, 2 s handover wait. */
    public static final WorkerLeaseSettings DEFAULT = new WorkerLeaseSettings(
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2));

    /** Checks that renewal comes at least three times per TTL and the margin leaves time to issue ids. */
    public WorkerLeaseSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(maxHandoverWait, "maxHandoverWait");
        if (ttl.toMillis() < 30) {
            throw new InvalidArgumentException("worker lease ttl " + ttl + " is too short: use at least 30 ms");
        }
        if (heartbeatInterval.toMillis() < 1
                || heartbeatInterval.multipliedBy(3).compareTo(ttl) > 0) {
            throw new InvalidArgumentException("worker lease heartbeat interval " + heartbeatInterval
                    + " must be positive and at most a third of the ttl " + ttl
                    + " (a lease survives two missed renewals)");
        }
        if (safetyMargin.isNegative() || safetyMargin.plus(heartbeatInterval).compareTo(ttl) >= 0) {
            throw new InvalidArgumentException("worker lease safety margin " + safetyMargin + " must be zero or more "
                    + "and leave time for a renewal: margin + heartbeat interval < ttl " + ttl);
        }
        if (maxHandoverWait.isNegative() || maxHandoverWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidArgumentException(
                    "worker lease max handover wait " + maxHandoverWait + " must be between 0 and 1 minute");
        }
    }
}
