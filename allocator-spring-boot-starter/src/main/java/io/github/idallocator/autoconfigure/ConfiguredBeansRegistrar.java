package io.github.idallocator.autoconfigure;

import io.github.idallocator.range.IdAllocator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link IdAllocator} bean per entry of {@code idallocator.allocators}: the bean name and qualifier are
 * the allocator's name, the primary one is {@link IdAllocatorProperties#primaryAllocator()}. Each bean is created by
 * {@link IdAllocatorFactory} and then passed through every {@link IdAllocatorDecorator} bean.
 */
final class ConfiguredIdAllocatorsRegistrar
        implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private @Nullable Environment environment;
    private @Nullable BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (environment == null || beanFactory == null) {
            throw new IllegalStateException("Environment and bean factory must be set before registration");
        }
        BeanFactory factory = beanFactory;
        IdAllocatorProperties properties = CheckedProperties.of(environment, registry);
        String primary = properties.primaryAllocator();
        for (Map.Entry<String, IdAllocatorProperties.Allocator> entry :
                properties.allocators().entrySet()) {
            String name = entry.getKey();
            if (registry.containsBeanDefinition(name)) {
                throw new InvalidIdAllocatorPropertyException(
                        IdAllocatorProperties.allocatorProperty(name, ""),
                        name,
                        "the allocator's bean name '" + name + "' is already taken by another bean ("
                                + Objects.toString(
                                        registry.getBeanDefinition(name).getResourceDescription(), "defined in code")
                                + ")",
                        "Rename the allocator or the other bean.");
            }
            RootBeanDefinition definition = new RootBeanDefinition(IdAllocator.class, () -> create(factory, name));
            definition.setPrimary(name.equals(primary));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            definition.setDescription(
                    "idallocator allocator '" + name + "' from " + IdAllocatorProperties.allocatorProperty(name, "*"));
            registry.registerBeanDefinition(name, definition);
        }
    }

    private static IdAllocator create(BeanFactory beanFactory, String name) {
        return decorate(
                beanFactory.getBean(IdAllocatorFactory.class).create(name),
                beanFactory.getBeanProvider(IdAllocatorDecorator.class));
    }

    /** Passes {@code allocator} through every decorator, in their order, the first one innermost. */
    static IdAllocator decorate(IdAllocator allocator, ObjectProvider<IdAllocatorDecorator> decorators) {
        IdAllocator decorated = allocator;
        for (IdAllocatorDecorator decorator : decorators.orderedStream().toList()) {
            decorated = decorator.decorate(decorated);
        }
        return decorated;
    }
}
