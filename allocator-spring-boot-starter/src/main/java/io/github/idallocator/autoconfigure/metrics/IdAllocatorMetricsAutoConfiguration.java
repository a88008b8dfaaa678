package io.github.idallocator.autoconfigure.metrics;

import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.sequence.SequenceAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.micrometer.IdAllocatorMeterBinder;
import io.github.idallocator.micrometer.LockMeterBinder;
import io.github.idallocator.micrometer.ObservedIdAllocator;
import io.github.idallocator.micrometer.ObservedLockService;
import io.github.idallocator.micrometer.ObservedResourcePool;
import io.github.idallocator.micrometer.PoolMeterBinder;
import io.github.idallocator.micrometer.SequenceMeterBinder;
import io.github.idallocator.micrometer.SnowflakeMeterBinder;
import io.github.idallocator.micrometer.TaskQueueMeterBinder;
import io.github.idallocator.micrometer.TaskWorkerMeters;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.IdAllocatorDecorator;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.LockServiceDecorator;
import io.github.idallocator.spring.ResourcePoolDecorator;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.spring.SequenceAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskWorkerListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of idallocator's Micrometer support from {@code allocator-micrometer}: observations and counters
 * around every configured allocator ({@link ObservedIdAllocator}, through an {@link IdAllocatorDecorator}), gauges of
 * every allocator (an {@link IdAllocatorMeterBinder}), and the meters of the Snowflake generator ({@link
 * SnowflakeMeterBinder}) and of the sequences ({@link SequenceMeterBinder}); the lock acquisition timers around the
 * starter's lock service ({@link ObservedLockService}, through a {@link LockServiceDecorator}, with a {@link
 * MeterRegistry} bean) and the held and lost meters of the {@code LockService} bean ({@link LockMeterBinder}); the
 * acquisition timers and release counters around the starter's pools ({@link ObservedResourcePool}, through a {@link
 * ResourcePoolDecorator}, with a {@link MeterRegistry} bean) and the gauges of every pool ({@link PoolMeterBinder}); with
 * {@code allocator-tasks}, the gauges and counters of every task queue ({@link TaskQueueMeterBinder}) and the timers of the
 * listener methods' workers ({@link TaskWorkerMeters}, with a {@link MeterRegistry} bean). Absent
 * without Micrometer; without a {@link MeterRegistry} bean only observations run, without an {@link
 * ObservationRegistry} bean only the counters.
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
@ConditionalOnClass({MeterRegistry.class, ObservationRegistry.class, ObservedIdAllocator.class})
@ConditionalOnBean(IdAllocators.class)
public final class IdAllocatorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservingIdAllocatorDecorator observingIdAllocatorDecorator(
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<MeterRegistry> meters) {
        return new ObservingIdAllocatorDecorator(observations, meters);
    }

    @Bean
    @ConditionalOnMissingBean
    IdAllocatorMeterBinder idAllocatorMeterBinder(IdAllocators allocators, IdAllocatorProperties properties) {
        return new IdAllocatorMeterBinder(
                allocators.withInternal(), properties.metrics().refreshInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SnowflakeWorker.class)
    SnowflakeMeterBinder snowflakeMeterBinder(SnowflakeWorker worker) {
        return new SnowflakeMeterBinder(worker.generator(), worker.lease());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LockService.class)
    ObservingLockServiceDecorator observingLockServiceDecorator(ObjectProvider<MeterRegistry> meters) {
        return new ObservingLockServiceDecorator(meters);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(LockService.class)
    LockMeterBinder lockMeterBinder(LockService locks) {
        return new LockMeterBinder(locks);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SequenceAllocators.class)
    SequenceMeterBinder sequenceMeterBinder(SequenceAllocators sequences) {
        return new SequenceMeterBinder(sequences);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ResourcePool.class)
    ObservingResourcePoolDecorator observingResourcePoolDecorator(ObjectProvider<MeterRegistry> meters) {
        return new ObservingResourcePoolDecorator(meters);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ResourcePool.class, ResourcePools.class})
    PoolMeterBinder poolMeterBinder(ResourcePools pools, IdAllocatorProperties properties) {
        return new PoolMeterBinder(pools, properties.metrics().refreshInterval());
    }

    /**
     * The meters of the task queues (with {@code allocator-tasks}): the gauges and counters of every queue, read in the
     * background, and the claim latency, run time and attempts of the workers of the listener methods.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({TaskQueue.class, TaskQueueMeterBinder.class})
    @ConditionalOnBean(TaskQueues.class)
    static final class TaskQueueMetrics {

        @Bean
        @ConditionalOnMissingBean
        TaskQueueMeterBinder taskQueueMeterBinder(TaskQueues queues, IdAllocatorProperties properties) {
            return new TaskQueueMeterBinder(queues, properties.metrics().refreshInterval());
        }

        @Bean
        @ConditionalOnMissingBean(TaskWorkerListener.class)
        MeteringTaskWorkerListener meteringTaskWorkerListener(ObjectProvider<MeterRegistry> registry) {
            return new MeteringTaskWorkerListener(registry);
        }
    }
}
