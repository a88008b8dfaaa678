package io.github.idallocator.spring.actuate.endpoint;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One task queue in the {@code idallocator} endpoint: this instance's configuration of it and its counts as Redis
 * holds them (one read), and on its own page the first dead tasks (a second read). Times are ISO-8601 instants by Redis
 * server time, durations ISO-8601 durations.
 *
 * @param name the queue's name
 * @param configuration this instance's configuration of the queue
 * @param stats the queue's counts and counters; {@code null} when Redis could not be read
 * @param deadTasks the first dead tasks, most recently dead first; {@code null} in the overview or when Redis could not
 *     be read
 * @param error why Redis could not be read; {@code null} when it was
 */
public record TaskQueueDescriptor(
        String name,
        Configuration configuration,
        @Nullable Stats stats,
        @Nullable DeadTasks deadTasks,
        @Nullable String error) {

    /** How many dead tasks the queue's page shows: {@value}. */
    public static final int DEAD_PAGE = 50;

    /**
     * This instance's configuration of a queue.
     *
     * @param visibilityTimeout how long a claimed task belongs to its worker
     * @param maxAttempts how many times a task is claimed at most
     * @param retention how long a completed task is kept
     * @param deadRetention how long a dead task is kept
     * @param workerThreads how many tasks this instance's listener of the queue runs at once, 0 when it has none
     */
    public record Configuration(
            String visibilityTimeout, int maxAttempts, String retention, String deadRetention, int workerThreads) {}

    /**
     * A queue's counts (now) and counters (since its keys were created).
     *
     * @param waiting tasks claimable now
     * @param delayed tasks waiting for their time (delay or backoff)
     * @param running claimed tasks
     * @param dead dead tasks kept
     * @param finished completed and dead tasks kept for their retention
     * @param liveWorkers workers of all instances whose presence is current
     * @param oldestWaiting how long the oldest claimable task has been claimable; {@code null} when none is
     * @param submitted tasks submitted
     * @param completed tasks completed
     * @param failed attempts that failed
     * @param retried failed attempts retried
     * @param died tasks that died
     * @param expired attempts whose visibility timeout passed without completion
     * @param requeued dead tasks requeued
     */
    public record Stats(
            long waiting,
            long delayed,
            long running,
            long dead,
            long finished,
            long liveWorkers,
            @Nullable String oldestWaiting,
            long submitted,
            long completed,
            long failed,
            long retried,
            long died,
            long expired,
            long requeued) {}

    /**
     * The first page of a queue's dead tasks.
     *
     * @param tasks the dead tasks, most recently dead first
     * @param total how many dead tasks the queue holds
     * @param nextOffset the offset of the next page ({@code TaskQueue.dead(offset, count)}), or -1 after the last
     */
    public record DeadTasks(List<DeadTaskDescriptor> tasks, long total, long nextOffset) {}

    /**
     * A dead task.
     *
     * @param id the task's id
     * @param diedAt when it died
     * @param attempts how many times it was claimed
     * @param lastError the error of its last attempt; {@code null} when none was recorded
     */
    public record DeadTaskDescriptor(String id, String diedAt, int attempts, @Nullable String lastError) {}
}
