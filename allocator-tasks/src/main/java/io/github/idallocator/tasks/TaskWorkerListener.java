package io.github.idallocator.tasks;

import java.time.Duration;

/**
 * Told what {@link TaskWorkers} do, for meters and logs. Called on the workers' threads: keep it quick and do not throw
 * (an exception is logged and ignored).
 */
public interface TaskWorkerListener {

    /** {@code task} was claimed after it had been claimable for {@code waited}. */
    default void claimed(ClaimedTask task, Duration waited) {}

    /** The handler's run of {@code task} ended with {@code outcome} after {@code ran}. */
    default void finished(ClaimedTask task, TaskOutcome outcome, Duration ran) {}
}
