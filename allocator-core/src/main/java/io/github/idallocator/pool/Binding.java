package io.github.idallocator.pool;

import java.time.Instant;

/**
 * A soft binding: acquisitions that prefer {@code name} get {@code resource} whenever it can take a holder.
 *
 * @param name the binding's name (a worker, a task type)
 * @param resource the resource it points to
 * @param expiresAt when it ends unless used again (Redis server time)
 */
public record Binding(String name, String resource, Instant expiresAt) {}
