package io.github.idallocator.autoconfigure.pool;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.ResourcePoolDecorator;
import io.github.idallocator.spring.ResourcePoolFactory;
import io.github.idallocator.spring.ResourcePoolLifecycle;
import io.github.idallocator.spring.ResourcePools;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the pools of named resources: one {@link ResourcePool} bean per enabled entry of {@code
 * idallocator.pools} (unless the application defines its own {@code ResourcePool} beans), created by the {@link
 * ResourcePoolFactory} with the starter's instance id, seeded with the pool's {@code resources}, probed by its {@link
 * ResourceHealthCheck} bean (see {@link PoolHealthChecks}) and passed through every {@link ResourcePoolDecorator}
 * bean; the {@link ResourcePools} registry; the {@link ResourcePoolLifecycle} that closes the pools on shutdown (which
 * releases the leases still held). Each pool attaches to Redis while the application starts.
 */
@AutoConfiguration(after = IdAllocatorAutoConfiguration.class)
@ConditionalOnClass(RedisResourcePool.class)
@ConditionalOnBean(IdAllocatorFactory.class)
public final class PoolAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PoolAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ResourcePoolLifecycle resourcePoolLifecycle() {
        return new ResourcePoolLifecycle();
    }

    @Bean
    @ConditionalOnMissingBean
    ResourcePoolFactory resourcePoolFactory(
            IdAllocatorFactory factory, IdAllocatorProperties properties, ResourcePoolLifecycle lifecycle) {
        return new ResourcePoolFactory(factory, CoreConfigMapping.pools(properties), lifecycle);
    }

    @Bean
    @ConditionalOnMissingBean
    ResourcePools resourcePools(ObjectProvider<ResourcePool> pools, IdAllocatorProperties properties) {
        ResourcePools registry = new ResourcePools(pools.orderedStream().toList());
        Set<String> ignored = new LinkedHashSet<>(properties.enabledPools());
        ignored.removeAll(registry.names());
        if (!ignored.isEmpty()) {
            log.warn(
                    "idallocator.pools configures {} but the application defines its own ResourcePool beans {}; the "
                            + "configured pools are not created",
                    ignored,
                    registry.names());
        }
        return registry;
    }

    /** The pools of {@code idallocator.pools}, unless the application defines {@code ResourcePool} beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ResourcePool.class)
    @Import(ConfiguredPoolsRegistrar.class)
    static final class ConfiguredPoolsConfiguration {}
}
