package io.github.idallocator.internal;

import io.github.idallocator.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * Builds the Redis key names of one allocator: {@code <prefix>:{<name>}:<part>}. The braces are the hash tag, so every key
 * of one allocator lives in one Redis Cluster slot and one script may touch them all.
 */
public final class KeyNames {

    /** Characters allowed in allocator names: letters, digits, dot, underscore and hyphen. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /** Characters allowed in key prefixes: those of names plus the colon. */
    public static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    /** Characters allowed in instance (owner) ids: those of prefixes plus {@code @} and {@code /}. */
    public static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private final String prefix;
    private final String name;

    private KeyNames(String prefix, String name) {
        this.prefix = prefix;
        this.name = name;
    }

    /** Validates prefix and name and returns the key builder; rejects anything that would break the key scheme. */
    public static KeyNames of(String prefix, String name) {
        return new KeyNames(requireMatch("key prefix", prefix, PREFIX), requireMatch("allocator name", name, NAME));
    }

    /**
     * The key builder of one member of a namespace (a lock of a lock namespace): {@code <prefix>:{<namespace>:<member>}
     * :<part>}, so each member has its own hash tag. The caller has validated the three parts: prefix and namespace
     * match {@link #PREFIX} and {@link #NAME}, and the member holds no brace.
     */
    public static KeyNames member(String prefix, String namespace, String member) {
        return new KeyNames(prefix, namespace + ":" + member);
    }

    /** The key {@code <prefix>:{<name>}:<part>}. */
    public String key(String part) {
        return prefix + ":{" + name + "}:" + part;
    }

    /** Checks a value against a pattern and names the value and the accepted characters when it does not match. */
    public static String requireMatch(String what, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidArgumentException(what + " '" + value + "' is invalid: use 1 to "
                    + maxLength(pattern) + " characters matching " + pattern.pattern()
                    + " (braces, spaces and '|' would break the Redis key scheme or the lease encoding)");
        }
        return value;
    }

    private static String maxLength(Pattern pattern) {
        String p = pattern.pattern();
        return p.substring(p.lastIndexOf(',') + 1, p.length() - 1);
    }
}
