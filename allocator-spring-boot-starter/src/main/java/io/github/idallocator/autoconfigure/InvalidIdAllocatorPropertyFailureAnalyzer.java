package io.github.idallocator.autoconfigure;

import org.jspecify.annotations.Nullable;
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
 * Reports an {@link InvalidIdAllocatorPropertyException}: the property, the value as written and where it was written,
 * why it cannot work and what to set instead. Runs before Spring Boot's generic binding analyzer, which would only say
 * that {@code idallocator} could not be bound.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class InvalidIdAllocatorPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidIdAllocatorPropertyException> {

    private final @Nullable Environment environment;

    InvalidIdAllocatorPropertyFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidIdAllocatorPropertyException cause) {
        ConfigurationProperty written = find(cause.property());
        Object value = written != null ? written.getValue() : cause.value();
        String origin = written != null && written.getOrigin() != null
                ? " (originating from '" + written.getOrigin() + "')"
                : "";
        String description = value == null
                ? "Configuration property '" + cause.property() + "' is missing" + origin + ": " + cause.reason() + "."
                : "Invalid value '" + value + "' for configuration property '" + cause.property() + "'" + origin + ": "
                        + cause.reason() + ".";
        return new FailureAnalysis(description, cause.action(), cause);
    }

    private @Nullable ConfigurationProperty find(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
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
}
