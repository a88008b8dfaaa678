package io.github.idallocator.lock;

import io.github.idallocator.IdAllocatorException;

/**
 * The caller relied on a lease that is no longer held: a re-entry of a {@link LockService#asLock(String) Lock} whose
 * lease was lost, or {@link LockLease#releaseOrThrow()} that found the lease expired or taken by another owner. Work
 * done under the lease since it was lost was not protected by it; the fencing token lets the systems it wrote to refuse
 * it. Retrying the same call does not help; acquiring the lock again may.
 */
public class LockLostException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public LockLostException(String message) {
        super(message);
    }
}
