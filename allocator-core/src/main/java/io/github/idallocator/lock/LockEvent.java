package io.github.idallocator.lock;

/**
 * Something that happened to a lease of this instance.
 *
 * @param type what happened
 * @param namespace the lock service's namespace
 * @param name the lock's name
 * @param owner the lease's owner id
 * @param fencingToken the lease's fencing token
 * @param message a sentence for logs
 */
public record LockEvent(Type type, String namespace, String name, String owner, long fencingToken, String message) {

    /** Kinds of lock events. */
    public enum Type {
        /** A lease was granted. */
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
