package io.github.idallocator.autoconfigure;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link io.github.idallocator.sequence.SequenceAllocator SequenceAllocator} bean per entry of {@code
 * idallocator.sequences}: the qualifier is the sequence's name, the bean name is the name followed by {@value #SUFFIX}
 * (so that a sequence and an allocator may share a name), the primary one is {@link
 * IdAllocatorProperties#primarySequenceName()}. Each bean is created by {@link SequenceAllocatorFactory} and closed
 * with the context ({@link RedisSequenceAllocator#close()}).
 */
final class ConfiguredSequencesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    /** Appended to a sequence's name to make its bean name. */
    static final String SUFFIX = "Sequence";

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

    /** The bean name of the sequence {@code name}. */
    static String beanName(String name) {
        return name + SUFFIX;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (environment == null || beanFactory == null) {
            throw new IllegalStateException("Environment and bean factory must be set before registration");
        }
        BeanFactory factory = beanFactory;
        IdAllocatorProperties properties = CheckedProperties.of(environment, registry);
        String primary = properties.primarySequenceName();
        for (String name : properties.sequences().keySet()) {
            String beanName = beanName(name);
            if (registry.containsBeanDefinition(beanName)) {
                throw new InvalidIdAllocatorPropertyException(
                        IdAllocatorProperties.sequenceProperty(name, ""),
                        name,
                        "the sequence's bean name '" + beanName + "' is already taken by another bean ("
                                + Objects.toString(
                                        registry.getBeanDefinition(beanName).getResourceDescription(),
                                        "defined in code")
                                + ")",
                        "Rename the sequence or the other bean.");
            }
            RootBeanDefinition definition = new RootBeanDefinition(
                    SequenceAllocator.class,
                    () -> factory.getBean(SequenceAllocatorFactory.class).create(name));
            definition.setPrimary(name.equals(primary));
            // ends the sequence's background re-registration and lease checks when the context closes
            definition.setDestroyMethodName("close");
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            definition.setDescription(
                    "idallocator sequence '" + name + "' from " + IdAllocatorProperties.sequenceProperty(name, "*"));
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
