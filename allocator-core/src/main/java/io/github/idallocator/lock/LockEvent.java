package io.github.idallocator.lock;

import java.time.Duration;

/**
 * Something that happened to a lease of this instance.
 *
 * @param type what happened
 * @param namespace the lock service's namespace
 * @param name the lock's name
 * @param owner the lease's owner id
 * @param fencingToken the lease's fencing token
 * @param waited for {@link Type#ACQUIRED}, how long the acquisition waited for other holders ({@link
 *     LockLease#waited()}); zero for the other types
 * @param message a sentence for logs
 */
public record LockEvent(
        Type type, String namespace, String name, String owner, long fencingToken, Duration waited, String message) {

    /** Kinds of lock events. */
    public enum Type {
        /** A lease was granted; published on the thread that acquired it. */
        ACQUIRED,
        /** A lease was released by its holder. */
        RELEASED,
        /**
         * A lease can no longer be relied on: a renewal was refused (expired, taken by another owner, lost by Redis) or
         * not confirmed before the local deadline. {@link LockLease#isHeld()} is false from then on.
         */
        LOST
    }
}
