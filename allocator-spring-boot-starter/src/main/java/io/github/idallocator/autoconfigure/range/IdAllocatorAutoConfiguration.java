package io.github.idallocator.autoconfigure.range;

import io.github.idallocator.autoconfigure.CheckedProperties;
import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of idallocator: one {@link IdAllocator} bean per entry of {@code idallocator.allocators} (unless
 * the application defines its own {@code IdAllocator} beans), the {@link IdAllocators} registry and the {@link
 * IdAllocatorLifecycle} that runs their heartbeats (and the Snowflake worker-id lease of the Snowflake
 * auto-configuration). Uses the application's {@link RedisConnectionFactory}; off with {@code
 * idallocator.enabled=false}, which turns off the Snowflake generator and the sequences as well.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass({RedisIdAllocator.class, RedisConnectionFactory.class})
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "idallocator.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdAllocatorProperties.class)
public final class IdAllocatorAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdAllocatorAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    IdAllocatorFactory idAllocatorFactory(
            RedisConnectionFactory connectionFactory, IdAllocatorProperties properties, Environment environment) {
        // the registrars checked their binding already; this covers applications whose own beans turn both off
        CheckedProperties.checkNames(environment);
        CheckedProperties.check(properties);
        String instanceId = CoreConfigMapping.instanceId(properties);
        return new IdAllocatorFactory(
                connectionFactory,
                instanceId != null ? instanceId : InstanceIds.generate(),
                CoreConfigMapping.allocators(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    IdAllocators idAllocators(
            ObjectProvider<IdAllocator> allocators,
            IdAllocatorProperties properties,
            ObjectProvider<SnowflakeWorker> snowflake) {
        SnowflakeWorker worker = snowflake.getIfAvailable();
        IdAllocator workers = worker == null ? null : worker.workerAllocator();
        IdAllocators registry =
                new IdAllocators(allocators.orderedStream().toList(), workers == null ? List.of() : List.of(workers));
        Set<String> ignored = new LinkedHashSet<>(properties.allocators().keySet());
        ignored.removeAll(registry.names());
        if (!ignored.isEmpty()) {
            log.warn(
                    "idallocator.allocators configures {} but the application defines its own IdAllocator beans {}; "
                            + "the configured allocators are not created",
                    ignored,
                    registry.names());
        }
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    IdAllocatorLifecycle idAllocatorLifecycle(
            IdAllocators allocators,
            IdAllocatorProperties properties,
            ObjectProvider<SnowflakeWorker> snowflake,
            ApplicationEventPublisher publisher) {
        return new IdAllocatorLifecycle(
                allocators, properties.allocatorsReleasedOnShutdown(), snowflake.getIfAvailable(), publisher);
    }

    /** The allocators of {@code idallocator.allocators}, unless the application defines {@code IdAllocator} beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(IdAllocator.class)
    @Import(ConfiguredIdAllocatorsRegistrar.class)
    static final class ConfiguredIdAllocatorsConfiguration {}
}
