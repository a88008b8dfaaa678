package io.github.idallocator.etcd;

import io.github.idallocator.IdAllocatorException;

/**
 * etcd answered but refused the operation for a reason that retrying does not fix: wrong credentials, missing
 * permissions on the key prefix, an argument etcd rejects, or an error etcd does not classify. {@link #errorCode()}
 * names etcd's (gRPC) error code. Something must change first (configuration, credentials, roles), so {@link
 * #isRetryable()} is false.
 */
public class EtcdRefusedException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;

    /** Creates the exception; {@code errorCode} is etcd's gRPC status code, such as {@code PERMISSION_DENIED}. */
    public EtcdRefusedException(String message, String errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** etcd's gRPC status code, such as {@code PERMISSION_DENIED} or {@code UNAUTHENTICATED}. */
    public String errorCode() {
        return errorCode;
    }
}
