package io.github.idallocator.autoconfigure;

import static io.github.idallocator.autoconfigure.IdAllocatorProperties.PREFIX;

import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Explains an {@code IdAllocator}, {@code SequenceAllocator}, {@code ResourcePool} or {@code SnowflakeIdGenerator}
 * injected where none is defined: {@code idallocator.enabled} is false (and where it was set), or none is configured,
 * with the lines to add to {@code application.yml}. Runs before Spring Boot's generic "no qualifying bean" analyzer.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class MissingIdAllocatorBeanFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> {

    private final @Nullable Environment environment;

    MissingIdAllocatorBeanFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        Class<?> type = cause.getBeanType();
        if (cause instanceof NoUniqueBeanDefinitionException || type == null) {
            return null;
        }
        Kind kind = Kind.of(type);
        if (kind == null) {
            return null;
        }
        String simpleName = type.getSimpleName();
        String article = "AEIOU".indexOf(simpleName.charAt(0)) >= 0 ? "An " : "A ";
        String injected = article + simpleName + " was injected, but no bean of that type is defined";
        ConfigurationProperty enabled = find(PREFIX + ".enabled");
        if (enabled != null
                && "false".equalsIgnoreCase(String.valueOf(enabled.getValue()).strip())) {
            return new FailureAnalysis(
                    injected + ": idallocator.enabled is false" + origin(enabled)
                            + ", which turns the whole idallocator starter off.",
                    "Remove idallocator.enabled=false (or set it to true), or do not inject " + type.getSimpleName()
                            + " in this configuration.",
                    cause);
        }
        Set<String> configured = configured(kind);
        if (configured.isEmpty()) {
            return new FailureAnalysis(
                    injected + ": " + kind.none + ".",
                    "Add " + kind.what + " to application.yml, for example:\n\n" + kind.snippet + "\n"
                            + kind.explanation + " See docs/configuration.md.",
                    cause);
        }
        return new FailureAnalysis(
                injected + " that matches the injection point, although " + PREFIX + "." + kind.section + " configures "
                        + configured + ".",
                "Qualify the injection point with one of " + configured + " (@Qualifier(\"<name>\")), or check "
                        + "the conditions report (--debug): the idallocator auto-configuration needs a single "
                        + "RedisConnectionFactory (spring-boot-starter-data-redis) and backs off when the "
                        + "application defines its own beans of the type.",
                cause);
    }

    /** The names configured for {@code kind}; empty when there are none or they cannot be read. */
    private Set<String> configured(Kind kind) {
        if (environment == null) {
            return Set.of();
        }
        try {
            IdAllocatorProperties properties =
                    Binder.get(environment).bindOrCreate(PREFIX, IdAllocatorProperties.class);
            return switch (kind) {
                case ALLOCATOR -> properties.allocators().keySet();
                case SEQUENCE -> properties.sequences().keySet();
                case POOL -> properties.enabledPools();
                case SNOWFLAKE -> properties.snowflake().enabled() ? Set.of("enabled: true") : Set.of();
            };
        } catch (RuntimeException ex) {
            return Set.of();
        }
    }

    private static String origin(ConfigurationProperty property) {
        return property.getOrigin() != null ? " (originating from '" + property.getOrigin() + "')" : "";
    }

    private @Nullable ConfigurationProperty find(String property) {
        if (environment == null) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The beans the starter defines from the properties, and how to configure one. */
    private enum Kind {
        ALLOCATOR(
                "allocators",
                "no allocator is configured under idallocator.allocators",
                "an allocator",
                """
                idallocator:
                  allocators:
                    orders:            # the allocator's name: its qualifier and part of its Redis keys
                      max-id: 999999   # the last id it hands out (the first is min-id, 0 by default)
                """,
                "Each entry of idallocator.allocators is an IdAllocator bean, qualified with the entry's name; one "
                        + "alone is injected without a qualifier."),
        SEQUENCE(
                "sequences",
                "no sequence is configured under idallocator.sequences",
                "a sequence",
                """
                idallocator:
                  sequences:
                    invoices:          # the sequence's name: its qualifier and part of its Redis key
                      step: 1000       # ids taken from Redis at a time
                """,
                "Each entry of idallocator.sequences is a SequenceAllocator bean, qualified with the entry's name; "
                        + "one alone is injected without a qualifier."),
        POOL(
                "pools",
                "no enabled pool is configured under idallocator.pools",
                "a pool",
                """
                idallocator:
                  pools:
                    proxies:           # the pool's name: its qualifier and part of its Redis keys
                      resources:
                        - 10.0.0.1:3128
                """,
                "Each enabled entry of idallocator.pools is a ResourcePool bean, qualified with the entry's name; "
                        + "one alone is injected without a qualifier."),
        SNOWFLAKE(
                "snowflake",
                "the Snowflake generator is off unless idallocator.snowflake.enabled is true",
                "the Snowflake generator",
                """
                idallocator:
                  snowflake:
                    enabled: true
                """,
                "The generator leases its worker id from Redis at start-up.");

        private final String section;
        private final String none;
        private final String what;
        private final String snippet;
        private final String explanation;

        Kind(String section, String none, String what, String snippet, String explanation) {
            this.section = section;
            this.none = none;
            this.what = what;
            this.snippet = snippet;
            this.explanation = explanation;
        }

        static @Nullable Kind of(Class<?> type) {
            if (IdAllocator.class.isAssignableFrom(type)) {
                return ALLOCATOR;
            }
            if (SequenceAllocator.class.isAssignableFrom(type)) {
                return SEQUENCE;
            }
            if (ResourcePool.class.isAssignableFrom(type)) {
                return POOL;
            }
            return type == SnowflakeIdGenerator.class ? SNOWFLAKE : null;
        }
    }
}
