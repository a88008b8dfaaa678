package io.github.idallocator.pool;

import io.github.idallocator.IdAllocatorException;
import java.time.Duration;

/** No resource of a pool could take a holder within the wait timeout. Retrying later can help. */
public class PoolTimeoutException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String pool;

    /** Creates the exception for {@code pool}, waited for {@code waited}. */
    public PoolTimeoutException(String pool, Duration waited) {
        super("No resource of pool '" + pool + "' could take a holder within " + waited + " (all held, quarantined "
                + "or draining, or others waited before). Wait longer, add resources, or use tryAcquire to go on "
                + "without one");
        this.pool = pool;
    }

    /** The pool's name. */
    public String pool() {
        return pool;
    }

    /** True: holders may release resources later. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
