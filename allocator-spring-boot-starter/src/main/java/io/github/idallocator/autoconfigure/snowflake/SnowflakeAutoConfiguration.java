package io.github.idallocator.autoconfigure.snowflake;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.spring.IdAllocatorDecorator;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.SnowflakeWorker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Snowflake id generator, with {@code idallocator.snowflake.enabled=true}: a {@link
 * SnowflakeIdGenerator} bean whose worker id is leased from the range allocator {@code
 * idallocator.snowflake.allocator-name} by a {@link SnowflakeWorker}. The worker id is leased while the bean is created,
 * renewed by the {@code IdAllocatorLifecycle} and released on shutdown.
 *
 * <p>An application that defines its own {@code SnowflakeIdGenerator} bean gets nothing from here: it leases that
 * generator's worker id itself. One that defines its own {@link SnowflakeWorker} bean gets the generator of that worker.
 */
@AutoConfiguration(after = IdAllocatorAutoConfiguration.class)
@ConditionalOnClass(SnowflakeIdGenerator.class)
@ConditionalOnBooleanProperty("idallocator.snowflake.enabled")
@ConditionalOnBean(IdAllocatorFactory.class)
@ConditionalOnMissingBean(SnowflakeIdGenerator.class)
public final class SnowflakeAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SnowflakeWorker snowflakeWorker(
            IdAllocatorFactory factory,
            IdAllocatorProperties properties,
            ObjectProvider<IdAllocatorDecorator> decorators,
            ApplicationEventPublisher publisher) {
        CoreConfigMapping.SnowflakeConfig snowflake = CoreConfigMapping.snowflake(properties);
        IdAllocator workers = factory.createSnowflakeWorkers(snowflake.workers());
        return new SnowflakeWorker(
                snowflake.generator().build(),
                IdAllocatorDecorator.decorateAll(
                        workers, decorators.orderedStream().toList()),
                snowflake.lease(),
                System::currentTimeMillis,
                publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    SnowflakeIdGenerator snowflakeIdGenerator(SnowflakeWorker worker) {
        return worker.generator();
    }
}
