package io.github.idallocator.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An {@code idallocator.*} property holds a value that cannot work. Thrown at start-up, when the properties are checked
 * and turned into the core configurations (a core {@link io.github.idallocator.InvalidArgumentException} becomes one of
 * these, naming the property its setting is bound from), so start-up fails; {@link
 * InvalidIdAllocatorPropertyFailureAnalyzer} turns it into a report naming the property, the value and the fix.
 */
public final class InvalidIdAllocatorPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final @Nullable String value;
    private final String reason;
    private final String action;
    private final Map<String, @Nullable String> together;

    /**
     * Creates the exception.
     *
     * @param property the full property name, such as {@code idallocator.allocators.orders.max-id}
     * @param value the rejected value; {@code null} when the property is missing
     * @param reason why the value cannot work
     * @param action what to set instead
     */
    public InvalidIdAllocatorPropertyException(String property, @Nullable Object value, String reason, String action) {
        this(property, value, reason, action, Map.of());
    }

    /**
     * Creates the exception for values that are wrong only together, such as the three widths of the Snowflake layout:
     * the report names the one of them that was written and shows all of them with where each was written.
     *
     * @param property the property to name when none of {@code together} was written
     * @param value its value
     * @param reason why the values cannot work together
     * @param action what to set instead
     * @param together the properties that are wrong together, with their values, in the order to show them
     */
    public InvalidIdAllocatorPropertyException(
            String property,
            @Nullable Object value,
            String reason,
            String action,
            Map<String, ? extends @Nullable Object> together) {
        super("Invalid value '" + value + "' for " + property + ": " + reason + ". " + action);
        this.property = property;
        this.value = value == null ? null : value.toString();
        this.reason = reason;
        this.action = action;
        Map<String, @Nullable String> values = new LinkedHashMap<>();
        together.forEach((name, v) -> values.put(name, v == null ? null : v.toString()));
        this.together = Collections.unmodifiableMap(values);
    }

    /** The full property name. */
    public String property() {
        return property;
    }

    /** The rejected value as text; {@code null} when the property is missing. */
    public @Nullable String value() {
        return value;
    }

    /** Why the value cannot work. */
    public String reason() {
        return reason;
    }

    /** What to set instead. */
    public String action() {
        return action;
    }

    /** The properties that are wrong only together, with their values as text; empty for a single wrong value. */
    public Map<String, @Nullable String> together() {
        return together;
    }
}
