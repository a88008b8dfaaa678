package io.github.idallocator.autoconfigure.snowflake;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyException;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerIdStore;
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
 * SnowflakeIdGenerator} bean whose worker id is leased by a {@link SnowflakeWorker} from the range allocator {@code
 * idallocator.snowflake.allocator-name} on Redis (backend {@code redis}, the default), or from the {@link WorkerIdStore}
 * bean (backend {@code etcd}: the etcd store of {@code EtcdWorkerIdAutoConfiguration}; no range allocator of worker ids
 * is created then). The worker id is leased while the bean is created, renewed by the {@code IdAllocatorLifecycle} and
 * released on shutdown. Backend {@code etcd} without a {@code WorkerIdStore} bean (the allocator-etcd module is
 * missing) fails start-up with an {@link InvalidIdAllocatorPropertyException} naming the dependency to add.
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
            ObjectProvider<WorkerIdStore> stores,
            ApplicationEventPublisher publisher) {
        CoreConfigMapping.SnowflakeConfig snowflake = CoreConfigMapping.snowflake(properties);
        if (IdAllocatorProperties.Snowflake.ETCD_BACKEND.equals(
                properties.snowflake().backend())) {
            WorkerIdStore store = stores.getIfAvailable();
            if (store == null) {
                String backend = IdAllocatorProperties.snowflakeProperty("backend");
                throw new InvalidIdAllocatorPropertyException(
                        backend,
                        IdAllocatorProperties.Snowflake.ETCD_BACKEND,
                        "the etcd backend needs the allocator-etcd module, which is not on the class path",
                        "Add the dependency io.github.idallocator:allocator-etcd (it brings the jetcd client), or set "
                                + backend + " to redis.");
            }
            return new SnowflakeWorker(
                    snowflake.generator().build(),
                    store,
                    SnowflakeWorker.ETCD_BACKEND,
                    snowflake.lease(),
                    System::currentTimeMillis,
                    publisher);
        }
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
