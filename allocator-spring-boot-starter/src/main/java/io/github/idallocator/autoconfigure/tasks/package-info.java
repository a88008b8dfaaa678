/**
 * Auto-configuration of the task queues of {@code idallocator.tasks}, the {@code TaskQueues} facade and the workers
 * of the application's {@code @TaskListener} methods (with {@code io.github.idallocator:allocator-tasks} on the class
 * path).
 */
@NullMarked
package io.github.idallocator.autoconfigure.tasks;

import org.jspecify.annotations.NullMarked;
