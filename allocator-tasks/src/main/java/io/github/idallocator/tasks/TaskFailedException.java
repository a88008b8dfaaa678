package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;
import org.jspecify.annotations.Nullable;

/**
 * A task whose result a caller waited for failed: remotely, it died (failed for good; requeueing it can make it run
 * again); locally ({@link TaskCaller}), its handler threw, which is the cause.
 */
public class TaskFailedException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final transient @Nullable TaskStatus status;

    /** The dead task {@code status} of queue {@code queue}. */
    public TaskFailedException(String queue, TaskStatus status) {
        super("Task '" + status.id() + "' of task queue '" + queue + "' failed for good after " + status.attempt()
                + " attempt(s): " + status.lastError() + ". It is kept among the dead tasks until " + status.until()
                + " and can be requeued.");
        this.taskId = status.id();
        this.status = status;
    }

    /** Task {@code taskId} of queue {@code queue} failed when run locally, with {@code cause}. */
    public TaskFailedException(String queue, String taskId, Throwable cause) {
        super("Task '" + taskId + "' of task queue '" + queue + "' failed when run locally: " + cause, cause);
        this.taskId = taskId;
        this.status = null;
    }

    /** The task's id. */
    public String taskId() {
        return taskId;
    }

    /** The dead task as Redis holds it; null for a local failure. */
    public @Nullable TaskStatus status() {
        return status;
    }
}
