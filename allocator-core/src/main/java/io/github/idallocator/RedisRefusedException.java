package io.github.idallocator;

/**
 * Redis answered but refused the operation for a while, as it does during a failover, a restart or an overload: its
 * error code ({@link #errorCode()}) is one of {@code NOREPLICAS}, {@code READONLY}, {@code MASTERDOWN}, {@code LOADING},
 * {@code BUSY}, {@code TRYAGAIN} or {@code CLUSTERDOWN}. Nothing was changed in Redis (a refused script has no
 * effect). Retrying later can help ({@link #isRetryable()} is true); the message says what to check when the refusal
 * lasts.
 */
public class RedisRefusedException extends RedisUnavailableException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;

    /** Creates the exception; {@code errorCode} is the first word of Redis' error reply, such as {@code READONLY}. */
    public RedisRefusedException(String message, String errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The error code Redis answered with, such as {@code NOREPLICAS} or {@code READONLY}. */
    public String errorCode() {
        return errorCode;
    }
}
