package io.github.idallocator.autoconfigure;

import io.github.idallocator.IdAllocatorException;

/**
 * A configured allocator could not attach to Redis at start-up: Redis was unreachable, or the allocator stored there
 * differs from the configured one. {@link IdAllocatorStartupFailureAnalyzer} reports it with the fix.
 */
public final class IdAllocatorStartupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String allocator;

    /**
     * Creates the exception.
     *
     * @param allocator the allocator's name
     * @param cause what the core reported
     */
    public IdAllocatorStartupException(String allocator, IdAllocatorException cause) {
        super("Allocator '" + allocator + "' could not attach to Redis: " + cause.getMessage(), cause);
        this.allocator = allocator;
    }

    /** The allocator's name. */
    public String allocator() {
        return allocator;
    }
}
