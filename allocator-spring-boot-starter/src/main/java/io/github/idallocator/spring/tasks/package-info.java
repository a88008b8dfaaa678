/**
 * The task queue in a Spring application (needs {@code io.github.idallocator:allocator-tasks}): the {@link
 * io.github.idallocator.spring.tasks.TaskQueues} facade that submits typed payloads and reads typed results, the
 * {@link io.github.idallocator.spring.tasks.TaskListener} annotation that makes a bean method a queue's handler, and
 * the {@link io.github.idallocator.spring.tasks.TaskQueueLifecycle} that runs the handlers' workers and stops them
 * before Redis stops.
 */
@NullMarked
package io.github.idallocator.spring.tasks;

import org.jspecify.annotations.NullMarked;
