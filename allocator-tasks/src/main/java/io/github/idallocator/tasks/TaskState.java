package io.github.idallocator.tasks;

/** Where a task is in its life. */
public enum TaskState {
    /** Claimable now: submitted, retried at once, requeued, or its delay or deadline passed. */
    WAITING,
    /** Claimable once its time comes: submitted with a delay, or waiting out the backoff after a failed attempt. */
    DELAYED,
    /** Claimed by a worker until its deadline. */
    RUNNING,
    /** Completed by the holder of its current token; its result is kept for the queue's retention. */
    COMPLETED,
    /** Failed for good (out of attempts, or failed without retry); kept for the dead retention, can be requeued. */
    DEAD;

    /** Whether the task will not run again unless it is requeued. */
    public boolean isFinished() {
        return this == COMPLETED || this == DEAD;
    }

    static TaskState of(String code) {
        return switch (code) {
            case "W" -> WAITING;
            case "D" -> DELAYED;
            case "R" -> RUNNING;
            case "C" -> COMPLETED;
            case "X" -> DEAD;
            default -> throw new IllegalStateException("Unknown task state code '" + code + "'");
        };
    }
}
