package io.github.idallocator.pool;

import java.time.Duration;

/**
 * Something that happened to a lease of this instance, or to a resource by this instance's doing.
 *
 * @param type what happened
 * @param pool the pool's name
 * @param resource the resource's name
 * @param owner the lease's owner id; {@code ""} for events about a resource
 * @param fencingToken the lease's fencing token; 0 for events about a resource
 * @param waited for {@link Type#ACQUIRED}, how long the acquisition waited; zero for the others
 * @param message a sentence for logs
 */
public record PoolEvent(
        Type type, String pool, String resource, String owner, long fencingToken, Duration waited, String message) {

    /** Kinds of pool events. */
    public enum Type {
        /** A lease was granted; published on the thread that acquired it. */
        ACQUIRED,
        /** A lease was released by its holder. */
        RELEASED,
        /**
         * A lease can no longer be relied on: a renewal was refused (expired, revoked, lost by Redis) or not confirmed
         * before the local deadline. {@link ResourceLease#isHeld()} is false from then on.
         */
        LOST,
        /** A resource was quarantined by this instance (a call, or unhealthy releases reaching the threshold). */
        QUARANTINED,
        /** A quarantined resource was restored by this instance (a call, or a passing health check). */
        RESTORED
    }
}
