package io.github.idallocator.snowflake;

import io.github.idallocator.IdAllocatorException;

/**
 * No worker id could be leased for now: every free one was last used with timestamps further ahead of this host's
 * clock than the handover wait allows (a previous holder's clock ran ahead). Those timestamps pass with time, so a
 * later retry can succeed ({@link #isRetryable()} is true); check the hosts' clocks (NTP).
 */
public class WorkerIdUnavailableException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message says why and what to do. */
    public WorkerIdUnavailableException(String message) {
        super(message);
    }

    /** True: the previous holders' timestamps pass with time. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
