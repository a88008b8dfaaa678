package io.github.idallocator.spring.tasks;

import java.time.Duration;

/**
 * What the application does with one task queue beside the queue's own configuration: its workers and its health.
 *
 * @param threads how many tasks the queue's {@link TaskListener} method runs at once, unless the annotation names a
 *     number (1 to 1000)
 * @param shutdownTimeout how long shutdown waits for running handlers before it interrupts them
 * @param maxWaiting how long the oldest claimable task may wait while no worker is alive before the queue is unhealthy
 */
public record TaskQueueSettings(int threads, Duration shutdownTimeout, Duration maxWaiting) {

    /** The settings of a queue configured without them: 8 threads, 30 seconds, 5 minutes. */
    public static final TaskQueueSettings DEFAULTS =
            new TaskQueueSettings(8, Duration.ofSeconds(30), Duration.ofMinutes(5));
}
