package io.github.idallocator.tasks;

import java.time.Duration;

/**
 * The task a {@link TaskHandler} runs, and what the handler can tell its queue while it runs. The claim is extended in
 * the background while the handler runs; {@link #isHeld()} turns false when it was lost (the worker was cut off from
 * Redis or paused past its deadline), after which another worker may run the task and this handler's result will be
 * refused: a handler with side effects checks it, and passes {@link #fencingToken()} to systems that can refuse stale
 * writers.
 */
public final class TaskContext {

    private final TaskQueue queue;
    private final ClaimedTask task;

    TaskContext(TaskQueue queue, ClaimedTask task) {
        this.queue = queue;
        this.task = task;
    }

    /** The task's id. */
    public String id() {
        return task.id();
    }

    /** The task's payload, as submitted. */
    public String payload() {
        return task.payload();
    }

    /** Which attempt this is: 1 for the first. */
    public int attempt() {
        return task.attempt();
    }

    /** The claim's fencing token. */
    public long fencingToken() {
        return task.fencingToken();
    }

    /** Whether the claim is still this worker's (see the class comment). */
    public boolean isHeld() {
        return task.isHeld();
    }

    /** Time left until the claim's local deadline, unless the background extension moves it. */
    public Duration remaining() {
        return task.remaining();
    }

    /**
     * Records how far the task got ({@link TaskQueue#progress}).
     *
     * @return false when the claim was lost
     */
    public boolean progress(long current, long total) {
        return queue.progress(task, current, total);
    }

    /**
     * Extends the claim by the queue's visibility timeout now, before a step that must not lose it (the background
     * extension runs every third of the timeout anyway).
     *
     * @return false when the claim was lost
     */
    public boolean extend() {
        return queue.extend(task);
    }

    /** The claimed task. */
    public ClaimedTask task() {
        return task;
    }
}
