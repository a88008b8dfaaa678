package io.github.idallocator;

/**
 * Redis could not be reached, did not answer in time, or refused the operation for a while (subtypes say why). The
 * operation may or may not have been applied; every operation is a single atomic script, so Redis holds either all of
 * its effects or none. Retrying later can help ({@link #isRetryable()} is true).
 */
public class RedisUnavailableException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the client's failure as cause. */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without an underlying client failure (a refusal idallocator detected itself). */
    public RedisUnavailableException(String message) {
        super(message);
    }

    /** True: the same call may succeed once Redis answers again. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
