package io.github.idallocator.tasks;

import org.jspecify.annotations.Nullable;

/**
 * Runs one task for {@link TaskWorkers}. Its return value is the task's result; an exception fails the attempt, which is
 * retried after the queue's backoff while attempts are left ({@link NonRetryableTaskException}: never).
 */
@FunctionalInterface
public interface TaskHandler {

    /**
     * Runs the task of {@code context}.
     *
     * @return the result (null is stored as an empty string)
     * @throws Exception to fail the attempt
     */
    @Nullable
    String handle(TaskContext context) throws Exception;
}
