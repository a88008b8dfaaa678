package io.github.idallocator.etcd;

import io.github.idallocator.IdAllocatorException;

/**
 * etcd could not be reached, did not answer within the configured timeout, or refused the operation for a while (no
 * leader, an election, too many requests). The operation may or may not have been applied; every write is a single
 * etcd transaction, so etcd holds either all of its effects or none. Retrying later can help ({@link #isRetryable()}
 * is true).
 */
public class EtcdUnavailableException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the client's failure as cause. */
    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True: the same call may succeed once etcd answers again. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
