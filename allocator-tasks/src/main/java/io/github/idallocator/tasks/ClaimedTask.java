package io.github.idallocator.tasks;

import io.github.idallocator.internal.LeaseClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A task claimed by this instance: its id, payload, attempt, fencing token and local deadline. Finish it with {@link
 * TaskQueue#complete} or {@link TaskQueue#fail}; keep it with {@link TaskQueue#extend}.
 *
 * <p>{@link #isHeld()} answers from this JVM's monotonic clock: the local deadline is the visibility timeout after the
 * claim (or the last confirmed extension) was <em>sent</em>, so it passes before Redis's deadline, which counts from
 * when the script ran. Pass {@link #fencingToken()} to systems that can refuse a worker that paused past its deadline.
 */
public final class ClaimedTask {

    private final String queue;
    private final String id;
    private final String payload;
    private final int attempt;
    private final long fencingToken;
    private final String owner;
    private final Duration waited;
    private final LeaseClock clock;
    private volatile Instant deadline;

    ClaimedTask(
            String queue,
            String id,
            String payload,
            int attempt,
            long fencingToken,
            String owner,
            Instant deadline,
            Duration waited,
            long visibilityMillis,
            long sentNanos) {
        this.queue = queue;
        this.id = id;
        this.payload = payload;
        this.attempt = attempt;
        this.fencingToken = fencingToken;
        this.owner = owner;
        this.deadline = deadline;
        this.waited = waited;
        this.clock = new LeaseClock(sentNanos, visibilityMillis);
    }

    /** The queue's name. */
    public String queue() {
        return queue;
    }

    /** The task's id. */
    public String id() {
        return id;
    }

    /** The task's payload, as submitted. */
    public String payload() {
        return payload;
    }

    /** Which attempt this claim is: 1 for the first. */
    public int attempt() {
        return attempt;
    }

    /** The claim's fencing token: greater than the token of every earlier claim of the queue's tasks. */
    public long fencingToken() {
        return fencingToken;
    }

    /** The owner id the claim was made with (the worker's id). */
    public String owner() {
        return owner;
    }

    /**
     * When Redis makes the task claimable again unless it is finished or extended, by Redis server time, as of the
     * claim or the last extension this instance made.
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * How long the task was claimable before this claim took it (Redis server time): since it was submitted, its delay
     * or backoff ended, or its previous attempt's deadline passed.
     */
    public Duration waited() {
        return waited;
    }

    /** Whether the claim is still this instance's: not finished, not lost, its local deadline not passed. */
    public boolean isHeld() {
        return clock.isHeld();
    }

    /** Time left until the local deadline (zero once passed or finished). */
    public Duration remaining() {
        return clock.remaining();
    }

    LeaseClock clock() {
        return clock;
    }

    void extended(Instant newDeadline, long sentNanos, long visibilityMillis) {
        this.deadline = newDeadline;
        clock.renewedTo(sentNanos, visibilityMillis);
    }

    @Override
    public String toString() {
        return "ClaimedTask[" + queue + "/" + id + ", attempt " + attempt + ", token " + fencingToken + "]";
    }
}
