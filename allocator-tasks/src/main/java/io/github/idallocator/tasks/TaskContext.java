package io.github.idallocator.tasks;

import java.time.Duration;

/**
 * The task a {@link TaskHandler} runs, and what the handler can tell its queue while it runs. Run by {@link
 * TaskWorkers}, the task is claimed and its claim is extended in the background while the handler runs; {@link
 * #isHeld()} turns false when the claim was lost (the worker was cut off from Redis or paused past its deadline), after
 * which another worker may run the task and this handler's result will be refused: a handler with side effects checks
 * it, and passes {@link #fencingToken()} to systems that can refuse stale writers. Run in the caller's thread by {@link
 * TaskCaller} (a local execution), the task has no claim: it is always held, its token is 0 and progress is not
 * recorded.
 */
public interface TaskContext {

    /** The task's id. */
    String id();

    /** The task's payload, as submitted. */
    String payload();

    /** Which attempt this is: 1 for the first. */
    int attempt();

    /** The claim's fencing token; 0 for a local execution. */
    long fencingToken();

    /** Whether the claim is still this worker's (see the interface comment). */
    boolean isHeld();

    /** Time left until the claim's local deadline, unless the background extension moves it. */
    Duration remaining();

    /**
     * Records how far the task got ({@link TaskQueue#progress}).
     *
     * @return false when the claim was lost
     */
    boolean progress(long current, long total);

    /**
     * Extends the claim by the queue's visibility timeout now, before a step that must not lose it (the background
     * extension runs every third of the timeout anyway).
     *
     * @return false when the claim was lost
     */
    boolean extend();

    /** The context of a task claimed from {@code queue}. */
    static TaskContext claimed(TaskQueue queue, ClaimedTask task) {
        return new Claimed(queue, task);
    }

    /** A claimed task's context. */
    record Claimed(TaskQueue queue, ClaimedTask task) implements TaskContext {

        @Override
        public String id() {
            return task.id();
        }

        @Override
        public String payload() {
            return task.payload();
        }

        @Override
        public int attempt() {
            return task.attempt();
        }

        @Override
        public long fencingToken() {
            return task.fencingToken();
        }

        @Override
        public boolean isHeld() {
            return task.isHeld();
        }

        @Override
        public Duration remaining() {
            return task.remaining();
        }

        @Override
        public boolean progress(long current, long total) {
            return queue.progress(task, current, total);
        }

        @Override
        public boolean extend() {
            return queue.extend(task);
        }
    }
}
