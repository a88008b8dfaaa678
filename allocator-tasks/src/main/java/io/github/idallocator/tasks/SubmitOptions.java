package io.github.idallocator.tasks;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.KeyNames;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Options of one submit. Immutable; start from {@link #defaults()}.
 *
 * @param taskId the task's id, or null for a random one. An id makes the submit idempotent: while the queue has a task
 *     of that id (waiting, running, or finished within its retention), submitting it again changes nothing. Use a key
 *     of the work itself, such as {@code order-42}: 1 to 200 characters matching {@code [A-Za-z0-9._:@/-]}
 * @param delay how long the task waits before it can be claimed, by Redis server time (0 to the queue's idle expiry)
 * @param priority {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}; waiting tasks of higher priority are claimed
 *     first, those of one priority in the order they became claimable
 */
public record SubmitOptions(@Nullable String taskId, Duration delay, int priority) {

    /** The lowest (the default) and the highest priority. */
    public static final int MIN_PRIORITY = 0, MAX_PRIORITY = 1000;

    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, Duration.ZERO, MIN_PRIORITY);

    /** Checks every value but the delay's upper bound, which the queue checks against its idle expiry. */
    public SubmitOptions {
        if (taskId != null) {
            requireTaskId(taskId);
        }
        if (delay == null || delay.isNegative()) {
            throw new InvalidArgumentException(
                    "delay", delay, "delay " + delay + " of a task must be zero or more", "use Duration.ZERO for none");
        }
        Checks.requireBetween(
                "priority", priority, MIN_PRIORITY, MAX_PRIORITY, "a task", "use 0 (the default) to 1000 (first)");
    }

    /** No id (a random one), no delay, priority 0. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    /** These options with {@code id} as the task's id (idempotent submit). */
    public SubmitOptions taskId(String id) {
        return new SubmitOptions(id, delay, priority);
    }

    /** These options with a delay before the task can be claimed. */
    public SubmitOptions delay(Duration value) {
        return new SubmitOptions(taskId, value, priority);
    }

    /** These options with a priority. */
    public SubmitOptions priority(int value) {
        return new SubmitOptions(taskId, delay, value);
    }

    /**
     * Checks a task id: 1 to 200 characters matching {@code [A-Za-z0-9._:@/-]}.
     *
     * @throws InvalidArgumentException naming the id
     */
    static String requireTaskId(@Nullable String id) {
        if (id == null || !KeyNames.INSTANCE_ID.matcher(id).matches()) {
            throw new InvalidArgumentException(
                    "taskId",
                    id,
                    "task id '" + id + "' is invalid: it must be 1 to 200 characters matching "
                            + KeyNames.INSTANCE_ID.pattern(),
                    "use letters, digits and . _ : @ / - only, such as order-42");
        }
        return id;
    }
}
