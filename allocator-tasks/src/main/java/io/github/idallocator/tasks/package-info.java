/**
 * A small reliable task queue on Redis. A claimed task is a lease: an owner, a fencing token and a deadline by Redis
 * server time. A worker that dies or pauses past the deadline loses the task to another worker, and its late completion
 * is refused, so delivery is at least once and completion exactly once, by the holder of the current token. Retries
 * with backoff, dead tasks that can be listed and requeued, delays by Redis server time, and retention: no key lives
 * forever. Entry points: {@link io.github.idallocator.tasks.TaskQueue}, {@link
 * io.github.idallocator.tasks.RedisTaskQueue} and {@link io.github.idallocator.tasks.TaskWorkers}.
 */
@NullMarked
package io.github.idallocator.tasks;

import org.jspecify.annotations.NullMarked;
