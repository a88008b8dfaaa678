package io.github.idallocator.internal;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The failures of Jedis that mean an unavailable Redis but that Spring Data Redis does not report as a connection
 * failure. Loaded only when Jedis is on the class path.
 */
final class JedisFailures {

    private JedisFailures() {}

    /**
     * Whether Jedis gave up on a Redis Cluster after it could not reach the node of the slot: a {@link
     * JedisClusterOperationException} ("No more cluster attempts left.", "Cluster retry deadline exceeded.") that
     * carries a {@link JedisConnectionException} of one of its attempts (suppressed, or as its cause). Spring Data Redis
     * reports it as an {@code InvalidDataAccessApiUsageException}.
     */
    static boolean gaveUp(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisClusterOperationException && hasConnectionFailure(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasConnectionFailure(Throwable gaveUp) {
        if (gaveUp.getCause() instanceof JedisConnectionException) {
            return true;
        }
        for (Throwable attempt : gaveUp.getSuppressed()) {
            if (attempt instanceof JedisConnectionException) {
                return true;
            }
        }
        return false;
    }
}
