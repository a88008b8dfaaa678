package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;

/**
 * A configured allocator could not attach to Redis at start-up (Redis was unreachable, or the allocator stored there
 * differs from the configured one), or the Snowflake generator could not lease a worker id. The starter's failure
 * analyzer reports it with the fix, naming the properties of {@link #settings()}.
 */
public final class IdAllocatorStartupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Where the allocators are configured: {@code idallocator.allocators.<name>.*}. */
    private static final String ALLOCATORS = "idallocator.allocators.";

    /** Where the Snowflake generator is configured. */
    private static final String SNOWFLAKE = "idallocator.snowflake";

    private final String allocator;
    private final String settings;
    private final String minIdProperty;
    private final String maxIdProperty;

    /**
     * Creates the exception for an allocator configured under {@code idallocator.allocators.<allocator>}.
     *
     * @param allocator the allocator's name
     * @param cause what the core reported
     */
    public IdAllocatorStartupException(String allocator, IdAllocatorException cause) {
        this(
                "Allocator '" + allocator + "' could not attach to Redis: " + cause.getMessage(),
                allocator,
                ALLOCATORS + allocator,
                ALLOCATORS + allocator + ".min-id",
                ALLOCATORS + allocator + ".max-id",
                cause);
    }

    private IdAllocatorStartupException(
            String message,
            String allocator,
            String settings,
            String minIdProperty,
            String maxIdProperty,
            IdAllocatorException cause) {
        super(message, cause);
        this.allocator = allocator;
        this.settings = settings;
        this.minIdProperty = minIdProperty;
        this.maxIdProperty = maxIdProperty;
    }

    /**
     * The Snowflake generator could not claim a worker id from etcd ({@code idallocator.snowflake.backend=etcd}).
     *
     * @param namespace the etcd key prefix of the worker ids
     * @param cause what the etcd store reported
     * @return the exception
     */
    public static IdAllocatorStartupException snowflakeEtcd(String namespace, IdAllocatorException cause) {
        return new IdAllocatorStartupException(
                "The Snowflake generator could not claim a worker id from etcd (namespace '" + namespace + "'): "
                        + cause.getMessage(),
                namespace,
                "idallocator.etcd",
                SNOWFLAKE + ".worker-id-min",
                SNOWFLAKE + ".worker-id-max",
                cause);
    }

    /**
     * The Snowflake generator could not attach to the allocator of worker ids, or lease a worker id from it.
     *
     * @param allocator the name of the allocator of worker ids ({@code idallocator.snowflake.allocator-name})
     * @param cause what the core reported
     * @return the exception
     */
    public static IdAllocatorStartupException snowflake(String allocator, IdAllocatorException cause) {
        return new IdAllocatorStartupException(
                "The Snowflake generator could not lease a worker id from allocator '" + allocator + "': "
                        + cause.getMessage(),
                allocator,
                SNOWFLAKE,
                SNOWFLAKE + ".worker-id-min",
                SNOWFLAKE + ".worker-id-max",
                cause);
    }

    /** The allocator's name. */
    public String allocator() {
        return allocator;
    }

    /** The prefix of the properties that configure the allocator, such as {@code idallocator.allocators.orders}. */
    public String settings() {
        return settings;
    }

    /** The property that sets the first id of the allocator's range. */
    public String minIdProperty() {
        return minIdProperty;
    }

    /** The property that sets the last id of the allocator's range. */
    public String maxIdProperty() {
        return maxIdProperty;
    }
}
