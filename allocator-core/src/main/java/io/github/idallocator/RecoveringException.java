package io.github.idallocator;

import java.time.Duration;

/**
 * Redis lost this object's state (a restart without persistence, {@code FLUSHALL}, a failover to a replica that missed
 * writes, or it is brand new) less than its recovery period ago: new grants wait until every holder that may still be
 * alive has had the chance to re-register what it holds. Retry after {@link #retryAfter()}.
 */
public class RecoveringException extends RedisUnavailableException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** Creates the exception; {@code retryAfter} is how long the recovery period still runs by Redis server time. */
    public RecoveringException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the recovery period still ran when Redis answered (by Redis server time). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
