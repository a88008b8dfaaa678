package io.github.idallocator;

import org.jspecify.annotations.Nullable;

/**
 * An argument or configuration value was rejected before Redis was touched. {@link #setting()} names it as the core
 * API does (for example {@code heartbeatInterval}, {@code ttl} or {@code count}), {@link #value()} is the value given,
 * and the message says what is wrong and how to fix it ({@link #problem()}: {@link #fix()}).
 */
public class InvalidArgumentException extends IdAllocatorException {

    private static final long serialVersionUID = 2L;

    private final @Nullable String setting;
    private final transient @Nullable Object value;
    private final String problem;
    private final @Nullable String fix;

    /**
     * Creates the exception for a value that is not one named setting or argument; the message names the rejected
     * value and what would be accepted.
     */
    public InvalidArgumentException(String message) {
        super(message);
        this.setting = null;
        this.value = null;
        this.problem = message;
        this.fix = null;
    }

    /**
     * Creates the exception for one rejected setting or argument; the message is {@code problem: fix}.
     *
     * @param setting the core name of the setting or argument, such as {@code heartbeatInterval}
     * @param value the rejected value as given; {@code null} when it was missing
     * @param problem what is wrong, naming the setting and the value, such as {@code heartbeatInterval PT15S of
     *     allocator 'orders' is not shorter than creatorTtl PT15S}
     * @param fix what would be accepted, such as {@code use at most a third of creatorTtl (PT5S)}
     */
    public InvalidArgumentException(String setting, @Nullable Object value, String problem, String fix) {
        super(problem + ": " + fix);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
        this.fix = fix;
    }

    /**
     * The core name of the rejected setting or argument, such as {@code heartbeatInterval}, {@code defaultTtl}, {@code
     * ttl} or {@code count}; {@code null} when the rejected value is not one named setting.
     */
    public @Nullable String setting() {
        return setting;
    }

    /** The rejected value as given; {@code null} when it was missing or is not known. */
    public @Nullable Object value() {
        return value;
    }

    /** What is wrong: the message without the fix. */
    public String problem() {
        return problem;
    }

    /** What would be accepted instead; {@code null} when the message does not say it apart. */
    public @Nullable String fix() {
        return fix;
    }
}
