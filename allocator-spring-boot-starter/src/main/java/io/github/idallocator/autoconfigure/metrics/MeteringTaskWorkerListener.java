package io.github.idallocator.autoconfigure.metrics;

import io.github.idallocator.micrometer.TaskWorkerMeters;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.TaskOutcome;
import io.github.idallocator.tasks.TaskWorkerListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The workers' listener of the starter's listener methods: records {@link TaskWorkerMeters} in the application's {@link
 * MeterRegistry}, found at the first event (the registry may be defined after this auto-configuration ran); does
 * nothing without one.
 */
final class MeteringTaskWorkerListener implements TaskWorkerListener {

    private final ObjectProvider<MeterRegistry> registry;
    private volatile @Nullable TaskWorkerMeters meters;
    private volatile boolean looked;

    MeteringTaskWorkerListener(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void claimed(ClaimedTask task, Duration waited) {
        TaskWorkerMeters found = meters();
        if (found != null) {
            found.claimed(task, waited);
        }
    }

    @Override
    public void finished(ClaimedTask task, TaskOutcome outcome, Duration ran) {
        TaskWorkerMeters found = meters();
        if (found != null) {
            found.finished(task, outcome, ran);
        }
    }

    private @Nullable TaskWorkerMeters meters() {
        if (!looked) {
            synchronized (this) {
                if (!looked) {
                    MeterRegistry found = registry.getIfUnique();
                    meters = found == null ? null : new TaskWorkerMeters(found);
                    looked = true;
                }
            }
        }
        return meters;
    }
}
