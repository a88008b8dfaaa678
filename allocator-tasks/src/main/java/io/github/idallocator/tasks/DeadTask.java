package io.github.idallocator.tasks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task that failed for good.
 *
 * @param id the task's id
 * @param diedAt when it died (Redis server time)
 * @param attempts how many times it was claimed
 * @param lastError the error of its last attempt, or null
 */
public record DeadTask(String id, Instant diedAt, int attempts, @Nullable String lastError) {}
