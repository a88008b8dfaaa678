package io.github.idallocator.internal;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.KeyConflictException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An error a script raises on purpose, by one convention for every script: {@code redis.error_reply('IDALLOC_<CODE>
 * field1 field2 ...')}, fields separated by single spaces and free of spaces themselves. This is the one place that
 * reads such an error; {@link #toException} turns it into the typed exception, with the help of the {@link Decoder} of
 * the concept that raised it.
 *
 * <p>Codes every concept may raise: {@code WRONGTYPE key actual expected} (a key holds data of another type), decoded
 * here into {@link KeyConflictException}.
 *
 * @param code the code without the {@code IDALLOC_} prefix, for example {@code MISMATCH}
 * @param fields the fields after the code, in order
 */
public record ScriptError(String code, List<String> fields) {

    /** The convention's error reply: the code, then the fields up to the end of the line. */
    private static final Pattern REPLY = Pattern.compile("IDALLOC_([A-Z][A-Z0-9_]*)((?: [^\\s]+)*)");

    /** The code of a key that holds data of another type: fields key, its type, the type expected. */
    public static final String WRONGTYPE = "WRONGTYPE";

    /** Copies the fields. */
    public ScriptError {
        fields = List.copyOf(fields);
    }

    /** Turns the script errors of one concept into its typed exceptions. */
    @FunctionalInterface
    public interface Decoder {

        /** The exception for {@code error}; {@code null} for a code this concept's scripts do not raise. */
        @Nullable
        IdAllocatorException decode(ScriptError error);
    }

    /** The script error a client failure carries (in its message or a cause's), if any. */
    static Optional<ScriptError> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher reply = t.getMessage() == null ? null : REPLY.matcher(t.getMessage());
            if (reply != null && reply.find()) {
                String fields = reply.group(2).strip();
                return Optional.of(
                        new ScriptError(reply.group(1), fields.isEmpty() ? List.of() : List.of(fields.split(" "))));
            }
        }
        return Optional.empty();
    }

    /** The field at {@code index} (0 for the first after the code). */
    public String field(int index) {
        if (index >= fields.size()) {
            throw new IllegalStateException("Script error " + this + " has no field " + index);
        }
        return fields.get(index);
    }

    /** The field at {@code index} as a number. */
    public long longField(int index) {
        return Long.parseLong(field(index));
    }

    /**
     * The typed exception: the concept's, else the one of a code every concept may raise, else an {@link
     * IdAllocatorException} that names the unknown code.
     *
     * @param context what the call acted on, for messages (for example {@code allocator 'ports'})
     */
    IdAllocatorException toException(String context, Decoder concept) {
        IdAllocatorException typed = concept.decode(this);
        if (typed != null) {
            return typed;
        }
        if (code.equals(WRONGTYPE)) {
            return new KeyConflictException("Key " + field(0) + " of " + context + " holds a " + field(1) + ", not a "
                    + field(2) + ": it is data idallocator did not write and it was left untouched. Delete it or "
                    + "choose another key prefix or allocator name.");
        }
        return new IdAllocatorException("A script of " + context + " failed with " + this
                + ", an error this version of idallocator does not know. Please report it with the Redis version.");
    }

    @Override
    public String toString() {
        return "IDALLOC_" + code + (fields.isEmpty() ? "" : " " + String.join(" ", fields));
    }
}
