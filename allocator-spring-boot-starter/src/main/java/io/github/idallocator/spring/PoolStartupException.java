package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;

/**
 * A pool configured under {@code idallocator.pools.<name>} could not attach to Redis at start-up (Redis was
 * unreachable, or the pool stored there has another {@code max-holders}), or its resources could not be added. The
 * starter's failure analyzer reports it with the fix, naming the pool's properties.
 */
public final class PoolStartupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String pool;

    /**
     * Creates the exception.
     *
     * @param pool the pool's name
     * @param cause what the core reported
     */
    public PoolStartupException(String pool, IdAllocatorException cause) {
        super("Pool '" + pool + "' could not attach to Redis: " + cause.getMessage(), cause);
        this.pool = pool;
    }

    /** The pool's name. */
    public String pool() {
        return pool;
    }

    /** The prefix of the pool's properties, such as {@code idallocator.pools.proxies}. */
    public String settings() {
        return "idallocator.pools." + pool;
    }
}
