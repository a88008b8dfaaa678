package io.github.idallocator.autoconfigure.endpoint;

import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.sequence.SequenceAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.LockLosses;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.spring.SequenceAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorDashboardEndpoint;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpointWebExtension;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint;
import io.github.idallocator.spring.actuate.endpoint.TaskQueueDescriptors;
import io.github.idallocator.spring.actuate.endpoint.TaskQueuesDescriptors;
import io.github.idallocator.spring.tasks.TaskQueueLifecycle;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskWorkers;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@link IdAllocatorEndpoint}, its dashboard page ({@link IdAllocatorDashboardEndpoint}, web
 * only) and the {@link SnowflakeEndpoint}: present when Spring Boot
 * Actuator is on the class path, the endpoint is exposed ({@code management.endpoints.web.exposure.include}) and
 * idallocator is configured (the Snowflake one when the generator is enabled). The {@code idallocator} endpoint shows
 * the {@code LockService} bean's locks when there is exactly one, the pools of the {@code ResourcePools} registry and
 * the task queues of the {@code TaskQueues} facade.
 * Over HTTP its write operations answer {@code 404} for an unknown allocator ({@link IdAllocatorEndpointWebExtension}).
 * The endpoint conditions sit on the bean methods, so that their classes are only loaded once Actuator is known to be
 * present.
 */
@AutoConfiguration(
        after = {
            IdAllocatorAutoConfiguration.class,
            SnowflakeAutoConfiguration.class,
            SequenceAutoConfiguration.class,
            LockAutoConfiguration.class,
            PoolAutoConfiguration.class,
            TaskQueueAutoConfiguration.class
        })
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(IdAllocators.class)
public final class IdAllocatorEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    IdAllocatorEndpoint idAllocatorEndpoint(
            IdAllocators allocators,
            ObjectProvider<IdAllocatorLifecycle> lifecycle,
            IdAllocatorProperties properties,
            ObjectProvider<SnowflakeWorker> snowflake,
            ObjectProvider<SequenceAllocators> sequences,
            ObjectProvider<LockService> locks,
            ObjectProvider<LockLosses> lockLosses,
            ObjectProvider<ResourcePools> pools,
            ObjectProvider<TaskQueueDescriptors> tasks) {
        return new IdAllocatorEndpoint(
                allocators,
                lifecycle.getIfAvailable(),
                properties.allocatorsReleasedOnShutdown(),
                snowflake.getIfAvailable(),
                sequences.getIfAvailable(() -> new SequenceAllocators(List.of())),
                locks.getIfUnique(),
                lockLosses.getIfUnique(),
                pools.getIfAvailable(() -> new ResourcePools(List.of())),
                tasks.getIfAvailable(TaskQueueDescriptors::none));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(IdAllocatorEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = IdAllocatorEndpoint.class, exposure = EndpointExposure.WEB)
    IdAllocatorEndpointWebExtension idAllocatorEndpointWebExtension(IdAllocatorEndpoint endpoint) {
        return new IdAllocatorEndpointWebExtension(endpoint);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    IdAllocatorDashboardEndpoint idAllocatorDashboardEndpoint() {
        return new IdAllocatorDashboardEndpoint();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SnowflakeWorker.class)
    @ConditionalOnAvailableEndpoint
    SnowflakeEndpoint snowflakeEndpoint(SnowflakeWorker worker) {
        return new SnowflakeEndpoint(worker);
    }

    /** The task queues the endpoint shows, when the task module is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisTaskQueue.class)
    static final class TaskQueueDescriptorsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean({TaskQueues.class, TaskQueueLifecycle.class})
        @ConditionalOnAvailableEndpoint(endpoint = IdAllocatorEndpoint.class)
        TaskQueuesDescriptors idAllocatorTaskQueueDescriptors(TaskQueues queues, TaskQueueLifecycle lifecycle) {
            return new TaskQueuesDescriptors(queues, name -> lifecycle.workers().stream()
                    .filter(workers -> workers.queue().equals(name))
                    .mapToInt(TaskWorkers::threads)
                    .sum());
        }
    }
}
