package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;

/** A task whose result a caller waited for died: it failed for good. Requeueing it can make it run again. */
public class TaskFailedException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final transient TaskStatus status;

    /** The dead task {@code status} of queue {@code queue}. */
    public TaskFailedException(String queue, TaskStatus status) {
        super("Task '" + status.id() + "' of task queue '" + queue + "' failed for good after " + status.attempt()
                + " attempt(s): " + status.lastError() + ". It is kept among the dead tasks until " + status.until()
                + " and can be requeued.");
        this.status = status;
    }

    /** The dead task. */
    public TaskStatus status() {
        return status;
    }
}
