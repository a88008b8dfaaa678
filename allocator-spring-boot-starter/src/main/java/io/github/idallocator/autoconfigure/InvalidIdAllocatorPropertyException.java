package io.github.idallocator.autoconfigure;

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

    /**
     * Creates the exception.
     *
     * @param property the full property name, such as {@code idallocator.allocators.orders.max-id}
     * @param value the rejected value; {@code null} when the property is missing
     * @param reason why the value cannot work
     * @param action what to set instead
     */
    public InvalidIdAllocatorPropertyException(String property, @Nullable Object value, String reason, String action) {
        super("Invalid value '" + value + "' for " + property + ": " + reason + ". " + action);
        this.property = property;
        this.value = value == null ? null : value.toString();
        this.reason = reason;
        this.action = action;
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
}
