package io.github.idallocator.autoconfigure;

import java.time.Duration;

/**
 * Writes durations the way Spring Boot reads them in {@code application.yml}: one number and the largest unit that
 * holds it exactly, such as {@code 5m}, {@code 90s} or {@code 250ms}. Used by the auto-configurations in messages.
 */
public final class Durations {

    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] SUFFIXES = {"d", "h", "m", "s"};

    private Durations() {}

    /**
     * The duration as a property value.
     *
     * @param duration the duration
     * @return the text, such as {@code 5m}
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.getNano() == 0) {
            for (int i = 0; i < UNIT_SECONDS.length; i++) {
                if (duration.getSeconds() % UNIT_SECONDS[i] == 0) {
                    return duration.getSeconds() / UNIT_SECONDS[i] + SUFFIXES[i];
                }
            }
        }
        if (duration.getNano() % 1_000_000 == 0) {
            return duration.toMillis() + "ms";
        }
        return duration.toString();
    }
}
