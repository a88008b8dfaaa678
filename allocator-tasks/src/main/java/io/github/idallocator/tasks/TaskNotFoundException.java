package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;

/** A queue has no task of an id: it was never submitted, or it was deleted after its retention. */
public class TaskNotFoundException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String taskId;

    /** Queue {@code queue} has no task {@code taskId}. */
    public TaskNotFoundException(String queue, String taskId) {
        super("Task queue '" + queue + "' has no task '" + taskId + "': it was never submitted there, or it finished "
                + "and was deleted after the queue's retention (or Redis lost it).");
        this.taskId = taskId;
    }

    /** The task's id. */
    public String taskId() {
        return taskId;
    }
}
