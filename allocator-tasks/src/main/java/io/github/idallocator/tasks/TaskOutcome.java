package io.github.idallocator.tasks;

/** How one run of a handler by {@link TaskWorkers} ended. */
public enum TaskOutcome {
    /** The handler returned and the task was completed. */
    COMPLETED,
    /** The handler threw and the task will be retried. */
    RETRIED,
    /** The handler threw and the task died (no attempts left, or a {@link NonRetryableTaskException}). */
    DIED,
    /** The claim had been lost: the result or failure was refused, another worker may run (or ran) the task. */
    REFUSED,
    /** Redis did not answer the completion or failure: the task runs again after its deadline. */
    UNFINISHED
}
