package io.github.idallocator;

/**
 * Redis refused the operation for a reason that only a change of the Redis server or of the client's configuration
 * fixes: {@code OOM} (maxmemory reached and nothing may be evicted), {@code MOVED} or {@code ASK} (Redis is a cluster
 * but the client is not in cluster mode), {@code NOPERM} (the Redis user lacks a permission), {@code NOAUTH} or
 * {@code WRONGPASS} (credentials). The message says what to change. Trying the same call again does not help until
 * then ({@link #isRetryable()} is false).
 */
public class RedisSetupException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;

    /** Creates the exception; {@code errorCode} is the first word of Redis' error reply, such as {@code OOM}. */
    public RedisSetupException(String message, String errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The error code Redis answered with, such as {@code OOM} or {@code MOVED}. */
    public String errorCode() {
        return errorCode;
    }
}
