package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Creates allocators (and lock services and pools) against the application's Redis, with one instance id for the whole
 * application context. The
 * allocators under {@code idallocator.allocators} are created through it; call {@link #create(IdAllocatorConfig)} for
 * more allocators known only at run time (their heartbeats are then yours to run, with {@link
 * io.github.idallocator.range.AllocatorHeartbeat}).
 */
public final class IdAllocatorFactory {

    private final StringRedisTemplate redis;
    private final String instanceId;
    private final Map<String, IdAllocatorConfig> configured;

    /**
     * Creates the factory with a private {@link StringRedisTemplate} on {@code connectionFactory}.
     *
     * @param connectionFactory the application's Redis connection factory
     * @param instanceId the instance id of every allocator it creates (see {@link InstanceIds})
     * @param configured the configurations of the allocators known by name (those of {@code idallocator.allocators}),
     *     in the order they are configured
     */
    public IdAllocatorFactory(
            RedisConnectionFactory connectionFactory, String instanceId, Map<String, IdAllocatorConfig> configured) {
        this.redis = new StringRedisTemplate(connectionFactory);
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
    }

    /** This application context's instance id: {@code idallocator.instance-id}, or the one generated at start-up. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * The configuration of the allocator configured as {@code idallocator.allocators.<name>}.
     *
     * @throws IllegalArgumentException if no allocator of that name is configured
     */
    public IdAllocatorConfig configuration(String name) {
        IdAllocatorConfig config = configured.get(name);
        if (config == null) {
            throw new IllegalArgumentException("No allocator '" + name
                    + "' is configured under idallocator.allocators.<name>; configured: " + configured.keySet());
        }
        return config;
    }

    /**
     * Attaches to (or creates) the allocator configured as {@code idallocator.allocators.<name>}.
     *
     * @throws IdAllocatorStartupException if Redis cannot be reached or holds a different allocator of that name
     */
    public IdAllocator create(String name) {
        return create(configuration(name));
    }

    /**
     * Attaches to (or creates) an allocator with the given configuration and this context's instance id.
     *
     * @throws IdAllocatorStartupException if Redis cannot be reached or holds a different allocator of that name
     */
    public IdAllocator create(IdAllocatorConfig config) {
        try {
            return RedisIdAllocator.createOrAttach(redis, config, instanceId);
        } catch (IdAllocatorException e) {
            throw new IdAllocatorStartupException(config.name(), e);
        }
    }

    /**
     * Attaches to (or creates) the allocator of Snowflake worker ids configured under {@code idallocator.snowflake}.
     *
     * @throws IdAllocatorStartupException naming the {@code idallocator.snowflake} properties when Redis cannot be
     *     reached or holds a different allocator of that name
     */
    public IdAllocator createSnowflakeWorkers(IdAllocatorConfig config) {
        try {
            return RedisIdAllocator.createOrAttach(redis, config, instanceId);
        } catch (IdAllocatorException e) {
            throw IdAllocatorStartupException.snowflake(config.name(), e);
        }
    }

    /**
     * A lock service with the given configuration against the application's Redis, whose owner ids start with this
     * context's instance id. It opens no connection until a lock is used. Close it when done: the starter closes the
     * one of {@code idallocator.locks} on shutdown ({@link LockServiceLifecycle}), not the ones created here.
     */
    public RedisLockService createLocks(LockConfig config) {
        return RedisLockService.create(redis.getRequiredConnectionFactory(), config, instanceId);
    }

    /**
     * Attaches to (or creates) a pool with the given configuration against the application's Redis, whose owner ids
     * start with this context's instance id (one Redis script). Close it when done: the starter closes the ones of
     * {@code idallocator.pools} on shutdown ({@link ResourcePoolLifecycle}), not the ones created here.
     *
     * @param healthCheck probes quarantined resources while this instance is the pool's creator; null for none
     * @throws io.github.idallocator.RedisUnavailableException if Redis cannot be reached
     * @throws io.github.idallocator.ConfigurationMismatchException if Redis holds the pool with another {@code
     *     maxHolders}
     */
    public RedisResourcePool createPool(PoolConfig config, @Nullable ResourceHealthCheck healthCheck) {
        return RedisResourcePool.createOrAttach(redis.getRequiredConnectionFactory(), config, instanceId, healthCheck);
    }

    /**
     * A sequence with the given configuration against the application's Redis, fetching its segments in the
     * background on {@code prefetchExecutor}. Sequences touch Redis only when they hand out their first id.
     */
    RedisSequenceAllocator createSequence(SequenceConfig config, Executor prefetchExecutor) {
        return RedisSequenceAllocator.create(redis, config, prefetchExecutor);
    }
}
