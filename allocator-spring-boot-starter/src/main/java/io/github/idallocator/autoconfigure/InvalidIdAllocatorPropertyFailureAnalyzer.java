package io.github.idallocator.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        if (!cause.together().isEmpty()) {
            return analyzeTogether(cause);
        }
        String property = cause.property();
        String action = cause.action();
        ConfigurationProperty written = find(property);
        ConfigurationProperty whole = written == null ? findParent(property) : null;
        if (whole != null) {
            // the value was written whole, such as a list entry written as its name alone: name what was written
            written = whole;
            action = action.replace(property, whole.getName().toString());
            property = whole.getName().toString();
        }
        Object value = written != null ? written.getValue() : cause.value();
        String origin = written != null && written.getOrigin() != null
                ? " (originating from '" + written.getOrigin() + "')"
                : "";
        String description = value == null
                ? "Configuration property '" + property + "' is missing" + origin + ": " + cause.reason() + "."
                : "Invalid value '" + value + "' for configuration property '" + property + "'" + origin + ": "
                        + cause.reason() + ".";
        return new FailureAnalysis(description, action, cause);
    }

    /**
     * Values wrong only together: names the ones that were written (the first of them when none was, as when the
     * analyzer has no environment) and lists each with its value and where it was written, or that it is the default.
     */
    private FailureAnalysis analyzeTogether(InvalidIdAllocatorPropertyException cause) {
        Map<String, ConfigurationProperty> written = new LinkedHashMap<>();
        cause.together().keySet().forEach(property -> {
            ConfigurationProperty found = find(property);
            if (found != null) {
                written.put(property, found);
            }
        });
        StringBuilder description = new StringBuilder();
        if (written.isEmpty()) {
            description.append(
                    "Invalid value '" + cause.value() + "' for configuration property '" + cause.property() + "': ");
        } else {
            List<String> named = new ArrayList<>();
            written.forEach(
                    (property, found) -> named.add("'" + property + "' = '" + found.getValue() + "'" + origin(found)));
            description.append("Invalid value" + (named.size() > 1 ? "s " : " ") + "for configuration propert"
                    + (named.size() > 1 ? "ies " : "y ") + String.join(" and ", named) + ": ");
        }
        description.append(cause.reason()).append(".\n");
        cause.together().forEach((property, value) -> {
            ConfigurationProperty found = written.get(property);
            description.append("\n    ").append(property).append(" = ").append(value);
            if (found != null) {
                description.append(found.getOrigin() != null ? origin(found) : " (set)");
            } else if (environment != null) {
                description.append(" (default)");
            }
        });
        return new FailureAnalysis(description.toString(), cause.action(), cause);
    }

    private static String origin(ConfigurationProperty property) {
        return property.getOrigin() != null ? " (originating from '" + property.getOrigin() + "')" : "";
    }

    /** The property that holds {@code property} as part of one written value, such as a list entry's name. */
    private @Nullable ConfigurationProperty findParent(String property) {
        if (!ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName parent =
                ConfigurationPropertyName.of(property).getParent();
        return parent.isEmpty() ? null : find(parent.toString());
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
