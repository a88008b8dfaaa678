package io.github.idallocator;

/**
 * Redis could not be reached or did not answer in time. The operation may or may not have been applied; every
 * operation is a single atomic script, so Redis holds either all of its effects or none.
 */
public class RedisUnavailableException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the client's failure as cause. */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
