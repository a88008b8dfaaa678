package io.github.idallocator.internal;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Range checks of settings and arguments, shared by the configurations of every primitive. */
public final class Checks {

    private Checks() {}

    /**
     * Checks that {@code value} is set and within {@code [least, most]}.
     *
     * @param what the setting or argument, such as {@code leaseTime}
     * @param owner what it configures, for messages, such as {@code pool 'proxies'}
     * @param fix what would be accepted
     * @throws InvalidArgumentException naming {@code what} and its value
     */
    public static void requireBetween(
            String what, @Nullable Duration value, Duration least, Duration most, String owner, String fix) {
        if (value == null) {
            throw new InvalidArgumentException(what, null, what + " of " + owner + " is not set", fix);
        }
        if (value.compareTo(least) < 0 || value.compareTo(most) > 0) {
            throw new InvalidArgumentException(
                    what, value, what + " " + value + " of " + owner + " must be " + least + " to " + most, fix);
        }
    }

    /** Like {@link #requireBetween(String, Duration, Duration, Duration, String, String)} for a number. */
    public static void requireBetween(String what, long value, long least, long most, String owner, String fix) {
        if (value < least || value > most) {
            throw new InvalidArgumentException(
                    what, value, what + " " + value + " of " + owner + " must be " + least + " to " + most, fix);
        }
    }
}
