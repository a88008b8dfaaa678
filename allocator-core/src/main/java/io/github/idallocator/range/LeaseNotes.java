package io.github.idallocator.range;

import io.github.idallocator.InvalidArgumentException;
import org.jspecify.annotations.Nullable;

/** The rule for a note stored with a lease: 1 to {@link IdAllocator#MAX_NOTE_LENGTH} characters. */
final class LeaseNotes {

    private LeaseNotes() {}

    /** {@code note} when it is a valid note; throws {@link InvalidArgumentException} otherwise (null included). */
    static String require(@Nullable String note, String allocator) {
        if (note == null || note.isEmpty() || note.length() > IdAllocator.MAX_NOTE_LENGTH) {
            throw new InvalidArgumentException(
                    "note",
                    note,
                    "note of a lease of allocator '" + allocator + "' is "
                            + (note == null ? "null" : note.length() + " characters long"),
                    "use 1 to " + IdAllocator.MAX_NOTE_LENGTH + " characters");
        }
        return note;
    }

    /** {@code ""} (keep the stored note) for {@code null}, else the valid {@code note}. */
    static String optional(@Nullable String note, String allocator) {
        return note == null ? "" : require(note, allocator);
    }
}
