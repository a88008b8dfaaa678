package io.github.idallocator.tasks;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A queue's counts and counters, read at once.
 *
 * @param waiting tasks claimable now
 * @param delayed tasks waiting for their time (delay or backoff), including those whose time came but that no claim
 *     has moved yet
 * @param running claimed tasks (including those past their deadline that no claim has taken back yet)
 * @param dead dead tasks kept
 * @param finished completed and dead tasks kept for their retention
 * @param liveWorkers workers that announced themselves within their presence time
 * @param oldestWaiting how long the oldest claimable task has been claimable, or null when none is
 * @param submitted tasks submitted (counter, since the queue's keys were created)
 * @param completed tasks completed
 * @param failed attempts that failed
 * @param retried failed attempts retried
 * @param died tasks that died
 * @param expired attempts whose deadline passed without completion
 * @param requeued dead tasks requeued
 */
public record TaskQueueStats(
        long waiting,
        long delayed,
        long running,
        long dead,
        long finished,
        long liveWorkers,
        @Nullable Duration oldestWaiting,
        long submitted,
        long completed,
        long failed,
        long retried,
        long died,
        long expired,
        long requeued) {}
