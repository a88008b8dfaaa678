package io.github.idallocator.tasks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One task as Redis holds it.
 *
 * @param id the task's id
 * @param state where it is in its life
 * @param attempt how many times it was claimed (0 before its first claim; reset when requeued)
 * @param priority its priority
 * @param submittedAt when it was submitted (Redis server time)
 * @param until for a delayed task when it becomes claimable, for a running task its deadline, for a finished task when
 *     it is deleted; null for a waiting task
 * @param progress the current progress its worker reported, or -1
 * @param total the total its worker reported with it, or -1
 * @param owner the worker that claimed it, while running; else null
 * @param result the result of a completed task, else null
 * @param lastError the error of its last failed attempt (or the note that an attempt timed out), or null
 */
public record TaskStatus(
        String id,
        TaskState state,
        int attempt,
        int priority,
        Instant submittedAt,
        @Nullable Instant until,
        long progress,
        long total,
        @Nullable String owner,
        @Nullable String result,
        @Nullable String lastError) {}
