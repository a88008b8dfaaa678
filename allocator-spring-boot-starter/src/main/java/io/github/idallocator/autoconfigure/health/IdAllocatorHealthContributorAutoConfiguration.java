package io.github.idallocator.autoconfigure.health;

import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.LockLosses;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.spring.actuate.health.IdAllocatorHealthContributor;
import io.github.idallocator.spring.actuate.health.LockHealthIndicator;
import io.github.idallocator.spring.actuate.health.PoolHealthIndicator;
import io.github.idallocator.spring.actuate.health.SnowflakeHealthIndicator;
import io.github.idallocator.spring.actuate.health.TaskQueueHealthIndicator;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code idallocator} health contributor (one indicator per allocator), with the Snowflake generator enabled the {@code
 * snowflake} one, with a lock service the {@code locks} one, and with pools the {@code pools} one: present when Spring
 * Boot's health support is on the class path, idallocator is configured and {@code
 * management.health.idallocator.enabled} (or {@code management.health.snowflake.enabled}, {@code
 * management.health.locks.enabled}, {@code management.health.pools.enabled}) is not false; with task queues the {@code
 * tasks} one ({@code management.health.tasks.enabled}). It defines no health group; add {@code idallocator}, {@code
 * snowflake}, {@code locks}, {@code pools} and {@code tasks} to one (such as readiness) yourself.
 */
@AutoConfiguration(
        after = {
            IdAllocatorAutoConfiguration.class,
            SnowflakeAutoConfiguration.class,
            LockAutoConfiguration.class,
            PoolAutoConfiguration.class,
            TaskQueueAutoConfiguration.class
        })
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(IdAllocators.class)
public final class IdAllocatorHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("idallocator")
    @ConditionalOnMissingBean(name = {"idallocatorHealthIndicator", "idallocatorHealthContributor"})
    IdAllocatorHealthContributor idallocatorHealthContributor(
            IdAllocators allocators, ObjectProvider<IdAllocatorLifecycle> lifecycle, IdAllocatorProperties properties) {
        IdAllocatorProperties.Health health = properties.health();
        return new IdAllocatorHealthContributor(
                allocators,
                lifecycle.getIfAvailable(),
                health.utilisationThreshold(),
                health.highUtilisationStatus(),
                health.timeout());
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("snowflake")
    @ConditionalOnBean(SnowflakeWorker.class)
    @ConditionalOnMissingBean(name = "snowflakeHealthIndicator")
    SnowflakeHealthIndicator snowflakeHealthIndicator(SnowflakeWorker worker) {
        return new SnowflakeHealthIndicator(worker);
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("locks")
    @ConditionalOnSingleCandidate(LockService.class)
    @ConditionalOnBean(LockLosses.class)
    @ConditionalOnMissingBean(name = "locksHealthIndicator")
    LockHealthIndicator locksHealthIndicator(LockService locks, LockLosses losses, IdAllocatorProperties properties) {
        return new LockHealthIndicator(locks, losses, properties.health().lockLostWindow());
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("pools")
    @ConditionalOnBean({ResourcePool.class, ResourcePools.class})
    @ConditionalOnMissingBean(name = "poolsHealthIndicator")
    PoolHealthIndicator poolsHealthIndicator(ResourcePools pools, IdAllocatorProperties properties) {
        IdAllocatorProperties.Health health = properties.health();
        return new PoolHealthIndicator(pools, health.poolUnusableStatus(), health.timeout());
    }

    /** The {@code tasks} indicator, when the task module is on the class path and task queues exist. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisTaskQueue.class)
    static final class TaskQueueHealthConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator("tasks")
        @ConditionalOnBean({TaskQueue.class, TaskQueues.class})
        @ConditionalOnMissingBean(name = "tasksHealthIndicator")
        TaskQueueHealthIndicator tasksHealthIndicator(TaskQueues queues, IdAllocatorProperties properties) {
            return new TaskQueueHealthIndicator(queues, properties.health().timeout());
        }
    }
}
