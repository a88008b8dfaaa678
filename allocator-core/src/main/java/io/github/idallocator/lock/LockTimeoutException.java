package io.github.idallocator.lock;

import io.github.idallocator.IdAllocatorException;
import java.time.Duration;

/**
 * A lock was not acquired within the wait timeout because another owner held it all along. Retrying later can help.
 */
public class LockTimeoutException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String lockName;

    /** Creates the exception for lock {@code lockName} of {@code namespace}, waited for {@code waited}. */
    public LockTimeoutException(String namespace, String lockName, Duration waited) {
        super("Lock '" + lockName + "' of namespace '" + namespace + "' is held by another owner and was not released "
                + "within " + waited + ". Wait longer, or use tryAcquire to go on without it");
        this.lockName = lockName;
    }

    /** The lock's name. */
    public String lockName() {
        return lockName;
    }

    /** True: the holder may release the lock later. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
