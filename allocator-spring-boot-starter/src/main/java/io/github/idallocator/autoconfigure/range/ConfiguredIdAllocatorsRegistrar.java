package io.github.idallocator.autoconfigure.range;

import io.github.idallocator.autoconfigure.ConfiguredBeansRegistrar;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.spring.IdAllocatorDecorator;
import io.github.idallocator.spring.IdAllocatorFactory;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;

/**
 * Registers one {@link IdAllocator} bean per entry of {@code idallocator.allocators}: the qualifier is the allocator's
 * name, the bean name is the name followed by {@value IdAllocatorProperties#ALLOCATOR_BEAN_SUFFIX}, the primary one is {@link IdAllocatorProperties#primaryAllocator()}. Each bean is created by
 * {@link IdAllocatorFactory} and then passed through every {@link IdAllocatorDecorator} bean.
 */
final class ConfiguredIdAllocatorsRegistrar extends ConfiguredBeansRegistrar<IdAllocator> {

    ConfiguredIdAllocatorsRegistrar() {
        super(IdAllocator.class, "allocator");
    }

    @Override
    protected Set<String> names(IdAllocatorProperties properties) {
        return properties.allocators().keySet();
    }

    @Override
    protected @Nullable String primary(IdAllocatorProperties properties) {
        return properties.primaryAllocator();
    }

    @Override
    protected String beanName(String name) {
        return name + IdAllocatorProperties.ALLOCATOR_BEAN_SUFFIX;
    }

    @Override
    protected String property(String name, String setting) {
        return IdAllocatorProperties.allocatorProperty(name, setting);
    }

    @Override
    protected IdAllocator create(BeanFactory beanFactory, String name) {
        return IdAllocatorDecorator.decorateAll(
                beanFactory.getBean(IdAllocatorFactory.class).create(name),
                beanFactory
                        .getBeanProvider(IdAllocatorDecorator.class)
                        .orderedStream()
                        .toList());
    }
}
