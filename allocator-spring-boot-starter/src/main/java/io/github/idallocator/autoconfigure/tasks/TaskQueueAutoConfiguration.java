package io.github.idallocator.autoconfigure.tasks;

import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.tasks.JsonTaskCodecs;
import io.github.idallocator.spring.tasks.TaskCodecs;
import io.github.idallocator.spring.tasks.TaskListener;
import io.github.idallocator.spring.tasks.TaskListenerRegistry;
import io.github.idallocator.spring.tasks.TaskQueueLifecycle;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskWorkerListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the task queues, present when {@code io.github.idallocator:allocator-tasks} is on the class
 * path and idallocator is configured: one {@link RedisTaskQueue} bean per entry of {@code idallocator.tasks} (unless
 * the application defines its own {@code TaskQueue} beans) on the application's Redis connection factory; the {@link
 * TaskQueues} facade, whose payloads and results other than strings are JSON written by the application's {@link
 * JsonMapper} bean (strings only without one); the {@link TaskListenerRegistry} that finds the {@link TaskListener}
 * methods; and the {@link TaskQueueLifecycle} that runs their workers and closes the queues before Redis stops.
 */
@AutoConfiguration(
        after = IdAllocatorAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(RedisTaskQueue.class)
@ConditionalOnBean(IdAllocatorFactory.class)
public final class TaskQueueAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    static TaskListenerRegistry taskListenerRegistry() {
        return new TaskListenerRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    TaskQueueLifecycle taskQueueLifecycle(
            ObjectProvider<TaskQueues> queues,
            ObjectProvider<TaskListenerRegistry> listeners,
            ObjectProvider<TaskWorkerListener> workerListeners) {
        return new TaskQueueLifecycle(queues, listeners, workerListeners);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskQueues taskQueues(
            ObjectProvider<TaskQueue> queues,
            IdAllocatorProperties properties,
            ObjectProvider<TaskCodecs> codecs,
            ObjectProvider<TaskListenerRegistry> listeners) {
        return new TaskQueues(
                queues.orderedStream().toList(),
                TaskConfigMapping.settings(properties),
                codecs.getIfAvailable(TaskCodecs::strings),
                listeners.getIfAvailable());
    }

    /** JSON payloads and results with the application's mapper. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static final class JsonCodecsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(JsonMapper.class)
        TaskCodecs taskCodecs(JsonMapper mapper) {
            return new JsonTaskCodecs(mapper);
        }
    }

    /** The queues of {@code idallocator.tasks}, unless the application defines {@code TaskQueue} beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(TaskQueue.class)
    @Import(ConfiguredTaskQueuesRegistrar.class)
    static final class ConfiguredTaskQueuesConfiguration {}
}
