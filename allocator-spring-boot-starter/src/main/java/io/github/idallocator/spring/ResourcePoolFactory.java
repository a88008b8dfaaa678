package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceHealthCheck;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates pools against the application's Redis, with the starter's instance id, adds their configured resources and
 * hands them to the {@link ResourcePoolLifecycle}, which closes them when the application stops. The pools under
 * {@code idallocator.pools} are created through it; call {@link #create(ConfiguredPool, ResourceHealthCheck)} for more
 * pools known only at run time.
 */
public final class ResourcePoolFactory {

    private static final Logger log = LoggerFactory.getLogger(ResourcePoolFactory.class);

    private final IdAllocatorFactory redis;
    private final Map<String, ConfiguredPool> configured;
    private final ResourcePoolLifecycle lifecycle;

    /**
     * Creates the factory.
     *
     * @param redis the factory whose Redis and instance id the pools share
     * @param configured the pools known by name (the enabled ones of {@code idallocator.pools}), in the order they are
     *     configured
     * @param lifecycle closes the pools when the application stops
     */
    public ResourcePoolFactory(
            IdAllocatorFactory redis, Map<String, ConfiguredPool> configured, ResourcePoolLifecycle lifecycle) {
        this.redis = redis;
        this.configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
        this.lifecycle = lifecycle;
    }

    /**
     * The pool configured as {@code idallocator.pools.<name>}.
     *
     * @throws IllegalArgumentException if no enabled pool of that name is configured
     */
    public ConfiguredPool configuration(String name) {
        ConfiguredPool pool = configured.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("No pool '" + name
                    + "' is configured (and enabled) under idallocator.pools.<name>; configured: "
                    + configured.keySet());
        }
        return pool;
    }

    /**
     * Attaches to (or creates) the pool configured as {@code idallocator.pools.<name>} and adds its resources.
     *
     * @param healthCheck probes the pool's quarantined resources while this instance is its creator; null for none
     * @throws PoolStartupException if Redis cannot be reached or holds the pool with another {@code max-holders}
     */
    public RedisResourcePool create(String name, @Nullable ResourceHealthCheck healthCheck) {
        return create(configuration(name), healthCheck);
    }

    /**
     * Attaches to (or creates) a pool and adds {@code pool.resources()}, each idempotently. The pool is closed when the
     * application stops.
     *
     * @param healthCheck probes the pool's quarantined resources while this instance is its creator; null for none
     * @throws PoolStartupException if Redis cannot be reached or holds the pool with another {@code max-holders}
     */
    public RedisResourcePool create(ConfiguredPool pool, @Nullable ResourceHealthCheck healthCheck) {
        String name = pool.config().name();
        RedisResourcePool created;
        try {
            created = redis.createPool(pool.config(), healthCheck);
        } catch (IdAllocatorException e) {
            throw new PoolStartupException(name, e);
        }
        lifecycle.manage(created);
        int added = 0;
        try {
            for (Seed seed : pool.resources()) {
                if (created.add(seed.name(), seed.priority(), seed.metadata())) {
                    added++;
                }
            }
        } catch (IdAllocatorException e) {
            created.close();
            throw new PoolStartupException(name, e);
        }
        if (!pool.resources().isEmpty()) {
            log.info(
                    "Pool '{}' has its {} configured resource(s), {} of them added now",
                    name,
                    pool.resources().size(),
                    added);
        }
        return created;
    }

    /**
     * A pool with the resources it is seeded with.
     *
     * @param config the pool's core configuration
     * @param resources the resources added at start-up, in their order
     */
    public record ConfiguredPool(PoolConfig config, List<Seed> resources) {

        /** Copies the list. */
        public ConfiguredPool {
            resources = List.copyOf(resources);
        }
    }

    /**
     * A resource added to a pool at start-up ({@link io.github.idallocator.pool.ResourcePool#add(String, int,
     * String)}).
     *
     * @param name the resource's name
     * @param priority its priority (lower is served first)
     * @param metadata its metadata; null keeps what is stored
     */
    public record Seed(String name, int priority, @Nullable String metadata) {}
}
