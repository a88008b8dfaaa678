package io.github.idallocator.autoconfigure.tasks;

import io.github.idallocator.autoconfigure.ConfiguredBeansRegistrar;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.tasks.TaskQueueLifecycle;
import io.github.idallocator.tasks.RedisTaskQueue;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers one {@link RedisTaskQueue} bean per entry of {@code idallocator.tasks}: the qualifier is the queue's name,
 * the bean name is {@link IdAllocatorProperties#taskQueueBeanName(String)}, the only queue is primary. Every queue's
 * settings are checked before any bean is registered. Each queue is on the application's Redis connection factory,
 * with the starter's instance id as its claims' owner, and is closed by the {@link TaskQueueLifecycle}.
 */
final class ConfiguredTaskQueuesRegistrar extends ConfiguredBeansRegistrar<RedisTaskQueue> {

    ConfiguredTaskQueuesRegistrar() {
        super(RedisTaskQueue.class, "task queue");
    }

    @Override
    protected Set<String> names(IdAllocatorProperties properties) {
        TaskConfigMapping.configs(properties);
        TaskConfigMapping.settings(properties);
        return properties.tasks().keySet();
    }

    @Override
    protected @Nullable String primary(IdAllocatorProperties properties) {
        return properties.tasks().size() == 1
                ? properties.tasks().keySet().iterator().next()
                : null;
    }

    @Override
    protected String beanName(String name) {
        return IdAllocatorProperties.taskQueueBeanName(name);
    }

    @Override
    protected String property(String name, String setting) {
        return IdAllocatorProperties.taskQueueProperty(name, setting);
    }

    @Override
    protected RedisTaskQueue create(BeanFactory beanFactory, String name) {
        IdAllocatorProperties properties = beanFactory.getBean(IdAllocatorProperties.class);
        return beanFactory
                .getBean(TaskQueueLifecycle.class)
                .manage(RedisTaskQueue.create(
                        beanFactory.getBean(RedisConnectionFactory.class),
                        TaskConfigMapping.config(properties, name),
                        beanFactory.getBean(IdAllocatorFactory.class).instanceId()));
    }

    /** Closed by the lifecycle before Redis stops; a destroy method would run after. */
    @Override
    protected void customize(RootBeanDefinition definition) {
        definition.setDestroyMethodName("");
    }
}
