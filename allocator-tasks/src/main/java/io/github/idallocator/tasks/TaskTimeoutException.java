package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;
import java.time.Duration;

/** A task did not finish within the time a caller waited for its result. Waiting again may help. */
public class TaskTimeoutException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    private final String taskId;

    /** Task {@code taskId} of queue {@code queue}, in state {@code state}, was not finished after {@code waited}. */
    public TaskTimeoutException(String queue, String taskId, TaskState state, Duration waited) {
        super("Task '" + taskId + "' of task queue '" + queue + "' did not finish within " + waited + " (it is " + state
                + "). Wait again, or check that a worker of the queue is running (/actuator/idallocator).");
        this.taskId = taskId;
    }

    /** The task's id. */
    public String taskId() {
        return taskId;
    }

    /** True: the task may still finish. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
