package io.github.idallocator.snowflake;

/**
 * Something that happened to a generator's worker-id lease.
 *
 * @param type what happened
 * @param workerId the worker id concerned (-1 when none)
 * @param message a sentence for logs
 */
public record WorkerLeaseEvent(Type type, long workerId, String message) {

    /** Kinds of worker-lease events. */
    public enum Type {
        /** A worker id was leased; ids are issued with it. */
        ACQUIRED,
        /** The lease could not be renewed in time, or Redis says it is gone: ids are refused until re-acquired. */
        LOST,
        /** The lease was given back on shutdown. */
        RELEASED
    }
}
