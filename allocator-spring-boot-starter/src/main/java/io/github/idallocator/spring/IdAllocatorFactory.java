package io.github.idallocator.autoconfigure;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import java.util.concurrent.Executor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Creates allocators against the application's Redis, with one instance id for the whole application context. The
 * allocators under {@code idallocator.allocators} are created through it; call {@link #create(IdAllocatorConfig)} for
 * more allocators known only at run time (their heartbeats are then yours to run, with {@link
 * io.github.idallocator.range.AllocatorHeartbeat}).
 */
public final class IdAllocatorFactory {

    private final StringRedisTemplate redis;
    private final IdAllocatorProperties properties;
    private final String instanceId;

    /**
     * Creates the factory with a private {@link StringRedisTemplate} on {@code connectionFactory}.
     *
     * @param connectionFactory the application's Redis connection factory
     * @param properties the bound {@code idallocator.*} properties
     */
    public IdAllocatorFactory(RedisConnectionFactory connectionFactory, IdAllocatorProperties properties) {
        this.redis = new StringRedisTemplate(connectionFactory);
        this.properties = properties;
        String configured = CoreConfigMapping.instanceId(properties);
        this.instanceId = configured != null ? configured : InstanceIds.generate();
    }

    /** This application context's instance id: {@code idallocator.instance-id}, or the one generated at start-up. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * The configuration of the allocator configured as {@code idallocator.allocators.<name>}.
     *
     * @throws IllegalArgumentException if no allocator of that name is configured
     * @throws InvalidIdAllocatorPropertyException if one of its properties holds a value that cannot work
     */
    public IdAllocatorConfig configuration(String name) {
        if (!properties.allocators().containsKey(name)) {
            throw new IllegalArgumentException("No allocator '" + name + "' is configured under "
                    + IdAllocatorProperties.allocatorProperty("<name>", "") + "; configured: "
                    + properties.allocators().keySet());
        }
        return CoreConfigMapping.allocator(properties, name);
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
    IdAllocator createSnowflakeWorkers(IdAllocatorConfig config) {
        try {
            return RedisIdAllocator.createOrAttach(redis, config, instanceId);
        } catch (IdAllocatorException e) {
            throw IdAllocatorStartupException.snowflake(config.name(), e);
        }
    }

    /**
     * A sequence with the given configuration against the application's Redis, fetching its segments in the
     * background on {@code prefetchExecutor}. Sequences touch Redis only when they hand out their first id.
     */
    RedisSequenceAllocator createSequence(SequenceConfig config, Executor prefetchExecutor) {
        return RedisSequenceAllocator.create(redis, config, prefetchExecutor);
    }
}
