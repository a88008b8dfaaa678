package io.github.idallocator.autoconfigure.pool;

import io.github.idallocator.autoconfigure.ConfiguredBeansRegistrar;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.ResourcePoolDecorator;
import io.github.idallocator.spring.ResourcePoolFactory;
import io.github.idallocator.spring.ResourcePoolLifecycle;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers one {@link ResourcePool} bean per enabled entry of {@code idallocator.pools}: the qualifier is the pool's
 * name, the bean name is {@link IdAllocatorProperties#poolBeanName(String)} (so that it never takes an ordinary bean's
 * name), the only pool is primary. Each bean is created by {@link ResourcePoolFactory} with the pool's health check
 * ({@link PoolHealthChecks}) and then passed through every {@link ResourcePoolDecorator} bean; it is closed by the
 * {@link ResourcePoolLifecycle}, not as a bean.
 */
final class ConfiguredPoolsRegistrar extends ConfiguredBeansRegistrar<ResourcePool> {

    ConfiguredPoolsRegistrar() {
        super(ResourcePool.class, "pool");
    }

    @Override
    protected Set<String> names(IdAllocatorProperties properties) {
        return properties.enabledPools();
    }

    @Override
    protected @Nullable String primary(IdAllocatorProperties properties) {
        return properties.primaryPool();
    }

    @Override
    protected String beanName(String name) {
        return IdAllocatorProperties.poolBeanName(name);
    }

    @Override
    protected String property(String name, String setting) {
        return IdAllocatorProperties.poolProperty(name, setting);
    }

    @Override
    protected ResourcePool create(BeanFactory beanFactory, String name) {
        ResourcePoolFactory factory = beanFactory.getBean(ResourcePoolFactory.class);
        Set<String> pools =
                beanFactory.getBean(IdAllocatorProperties.class).pools().keySet();
        return ResourcePoolDecorator.decorateAll(
                factory.create(name, PoolHealthChecks.forPool(beanFactory, name, pools)),
                beanFactory
                        .getBeanProvider(ResourcePoolDecorator.class)
                        .orderedStream()
                        .toList());
    }

    /** Closed by the lifecycle before Redis stops; a destroy method would run after, and a decorator has none. */
    @Override
    protected void customize(RootBeanDefinition definition) {
        definition.setDestroyMethodName("");
    }
}
