package io.github.idallocator.snowflake;

import io.github.idallocator.IdAllocatorException;

/**
 * The wall clock went back further than the configured tolerance: generating now could repeat ids already issued. The
 * generator waits out smaller steps by itself; this one the caller sees. Retry later.
 */
public class ClockMovedBackwardsException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public ClockMovedBackwardsException(String message) {
        super(message);
    }

    /** True: once the clock has caught up with the last issued id, ids are issued again. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
