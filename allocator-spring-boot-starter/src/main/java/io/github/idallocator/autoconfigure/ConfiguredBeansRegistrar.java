package io.github.idallocator.autoconfigure;

import java.util.Objects;
import java.util.Set;
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
 * Registers one bean per entry of a map of the {@code idallocator.*} properties, such as one {@code IdAllocator} per
 * entry of {@code idallocator.allocators}: the qualifier is the entry's name, the bean name is made from it, the
 * primary bean is the one the properties name, and the description names the properties the bean comes from. Each bean
 * is created when it is first needed. The properties are bound and checked once per application context ({@link
 * CheckedProperties#of}); a bean name another bean already has fails start-up with an {@link
 * InvalidIdAllocatorPropertyException} naming the entry.
 *
 * <p>A subclass says which entries there are and how a bean is named and created; import it with
 * {@code @Import} from the feature's auto-configuration.
 *
 * @param <T> the type of the beans
 */
public abstract class ConfiguredBeansRegistrar<T>
        implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private final Class<T> type;
    private final String kind;
    private @Nullable Environment environment;
    private @Nullable BeanFactory beanFactory;

    /**
     * Creates the registrar.
     *
     * @param type the type of the beans
     * @param kind what a bean is, for messages and descriptions (for example {@code "allocator"})
     */
    protected ConfiguredBeansRegistrar(Class<T> type, String kind) {
        this.type = type;
        this.kind = kind;
    }

    /**
     * The names configured, in the order they were written.
     *
     * @param properties the checked properties
     * @return the names
     */
    protected abstract Set<String> names(IdAllocatorProperties properties);

    /**
     * The name of the bean injected where no qualifier is given.
     *
     * @param properties the checked properties
     * @return the name; {@code null} when none is primary
     */
    protected abstract @Nullable String primary(IdAllocatorProperties properties);

    /**
     * The bean name of the entry {@code name}.
     *
     * @param name the entry's name
     * @return the bean name
     */
    protected abstract String beanName(String name);

    /**
     * The property of one setting of the entry {@code name}.
     *
     * @param name the entry's name
     * @param setting the setting in kebab-case; empty for the entry itself
     * @return the property, such as {@code idallocator.allocators.orders.max-id}
     */
    protected abstract String property(String name, String setting);

    /**
     * Creates the bean of the entry {@code name}, when it is first needed.
     *
     * @param beanFactory the bean factory, for the factories and decorators the bean is made with
     * @param name the entry's name
     * @return the bean
     */
    protected abstract T create(BeanFactory beanFactory, String name);

    /**
     * Adjusts the bean definition before it is registered, for example to name a destroy method; does nothing unless
     * overridden.
     *
     * @param definition the bean definition
     */
    protected void customize(RootBeanDefinition definition) {}

    @Override
    public final void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public final void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public final void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (environment == null || beanFactory == null) {
            throw new IllegalStateException("Environment and bean factory must be set before registration");
        }
        BeanFactory factory = beanFactory;
        IdAllocatorProperties properties = CheckedProperties.of(environment, registry);
        String primary = primary(properties);
        for (String name : names(properties)) {
            String beanName = beanName(name);
            if (registry.containsBeanDefinition(beanName)) {
                throw new InvalidIdAllocatorPropertyException(
                        property(name, ""),
                        name,
                        "the " + kind + "'s bean name '" + beanName + "' is already taken by another bean ("
                                + Objects.toString(
                                        registry.getBeanDefinition(beanName).getResourceDescription(),
                                        "defined in code")
                                + ")",
                        "Rename the " + kind + " or the other bean.");
            }
            RootBeanDefinition definition = new RootBeanDefinition(type, () -> create(factory, name));
            definition.setPrimary(name.equals(primary));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            definition.setDescription("idallocator " + kind + " '" + name + "' from " + property(name, "*"));
            customize(definition);
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
