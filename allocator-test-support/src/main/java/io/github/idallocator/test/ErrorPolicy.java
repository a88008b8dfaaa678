package io.github.idallocator.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which exceptions a fault test accepts from its workers: every one must be a subtype of a base type (the project's
 * exception type), and each class must answer {@code isRetryable()} as expected. A class not named is a violation, so
 * a new failure mode shows up instead of passing silently.
 */
public final class ErrorPolicy {

    private final String baseType;
    private final Map<String, Boolean> expected = new LinkedHashMap<>();
    private final Map<String, Boolean> expectedSubtypes = new LinkedHashMap<>();

    private ErrorPolicy(String baseType) {
        this.baseType = baseType;
    }

    /** A policy that requires every exception to extend {@code baseType} (a class name). */
    public static ErrorPolicy subtypesOf(String baseType) {
        return new ErrorPolicy(baseType);
    }

    /** Accepts exceptions of exactly {@code type} (a class name) whose {@code isRetryable()} answers {@code retryable}. */
    public ErrorPolicy allow(String type, boolean retryable) {
        expected.put(type, retryable);
        return this;
    }

    /**
     * Accepts exceptions of {@code type} and of every subtype of it not named by {@link #allow(String, boolean)}, whose
     * {@code isRetryable()} answers {@code retryable}.
     */
    public ErrorPolicy allowSubtypes(String type, boolean retryable) {
        expectedSubtypes.put(type, retryable);
        return this;
    }

    /** Like {@link #allow(String, boolean)} with a class. */
    public ErrorPolicy allow(Class<?> type, boolean retryable) {
        return allow(type.getName(), retryable);
    }

    /**
     * What is wrong with an exception of class {@code type} that answered {@code retryable} ({@code "-"}: no such
     * method) and has the class chain {@code chain} (itself first); {@code null} when it is allowed.
     */
    public String check(String type, String retryable, List<String> chain) {
        if (!chain.contains(baseType)) {
            return type + " is not a " + baseType;
        }
        Boolean wanted = expected.get(type);
        for (String ancestor : chain) {
            if (wanted == null) {
                wanted = expectedSubtypes.get(ancestor);
            }
        }
        if (wanted == null) {
            return type + " is not expected here (expected: " + expected.keySet() + " and subtypes of "
                    + expectedSubtypes.keySet() + ")";
        }
        if (!wanted.toString().equals(retryable)) {
            return type + ".isRetryable() is " + retryable + ", expected " + wanted;
        }
        return null;
    }

    @Override
    public String toString() {
        return "subtypes of " + baseType + " with isRetryable() " + expected + ", subtypes of " + expectedSubtypes;
    }
}
