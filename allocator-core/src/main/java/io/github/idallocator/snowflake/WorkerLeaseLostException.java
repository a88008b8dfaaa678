package io.github.idallocator.snowflake;

import io.github.idallocator.IdAllocatorException;

/**
 * The generator cannot prove it still holds its worker id (no confirmed renewal within the lease time, by the local
 * monotonic clock), so it stops issuing ids rather than risk duplicates with another process that may now hold that
 * worker id. It recovers by itself once a worker id is leased again.
 */
public class WorkerLeaseLostException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public WorkerLeaseLostException(String message) {
        super(message);
    }

    /** True: the generator issues ids again once a worker id is leased again. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
