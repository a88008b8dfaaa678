package io.github.idallocator.autoconfigure.sequence;

import io.github.idallocator.autoconfigure.ConfiguredBeansRegistrar;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.spring.SequenceAllocatorFactory;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers one {@link SequenceAllocator} bean per entry of {@code idallocator.sequences}: the qualifier is the
 * sequence's name, the bean name is {@link IdAllocatorProperties#sequenceBeanName(String)} (so that a sequence and an
 * allocator may share a name), the primary one is {@link IdAllocatorProperties#primarySequenceName()}. Each bean is
 * created by {@link SequenceAllocatorFactory} and closed with the context ({@link RedisSequenceAllocator#close()}).
 */
final class ConfiguredSequencesRegistrar extends ConfiguredBeansRegistrar<SequenceAllocator> {

    ConfiguredSequencesRegistrar() {
        super(SequenceAllocator.class, "sequence");
    }

    @Override
    protected Set<String> names(IdAllocatorProperties properties) {
        return properties.sequences().keySet();
    }

    @Override
    protected @Nullable String primary(IdAllocatorProperties properties) {
        return properties.primarySequenceName();
    }

    @Override
    protected String beanName(String name) {
        return IdAllocatorProperties.sequenceBeanName(name);
    }

    @Override
    protected String property(String name, String setting) {
        return IdAllocatorProperties.sequenceProperty(name, setting);
    }

    @Override
    protected SequenceAllocator create(BeanFactory beanFactory, String name) {
        return beanFactory.getBean(SequenceAllocatorFactory.class).create(name);
    }

    /** Ends the sequence's background re-registration and lease checks when the context closes. */
    @Override
    protected void customize(RootBeanDefinition definition) {
        definition.setDestroyMethodName("close");
    }
}
