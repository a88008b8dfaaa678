package io.github.idallocator.micrometer;

import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.TaskOutcome;
import io.github.idallocator.tasks.TaskWorkerListener;
import io.github.idallocator.tasks.TaskWorkers;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the tasks this instance's {@link TaskWorkers} run, tag {@code queue}; pass it to {@link
 * TaskWorkers.Builder#listener}. The timer {@value #CLAIM_LATENCY}: how long each claimed task had been claimable
 * before the claim took it ({@link ClaimedTask#waited()}, Redis server time); the timer {@value #DURATION}: how long
 * each run of the handler took, up to the completion or failure being recorded; the distribution summary {@value
 * #ATTEMPTS}: the attempt number of each run ({@link ClaimedTask#attempt()}, 1 for the first). The last two are tagged
 * {@code outcome}, the {@link TaskOutcome} in lower case: {@code completed}, {@code retried}, {@code died}, {@code
 * refused} (the claim had been lost), {@code unfinished} (Redis did not answer the completion or failure).
 *
 * <p>No Redis call: every value comes with the workers' calls. One instance may serve the workers of several queues.
 * The queue's counts and counters come from {@link TaskQueueMeterBinder}.
 */
public class TaskWorkerMeters implements TaskWorkerListener {

    /** Timer of how long each claimed task had been claimable before its claim. */
    public static final String CLAIM_LATENCY = "idallocator.tasks.claim.latency";

    /** Timer of each run of the handler, by outcome. */
    public static final String DURATION = "idallocator.tasks.duration";

    /** Distribution summary of the attempt number of each run, by outcome. */
    public static final String ATTEMPTS = "idallocator.tasks.attempts";

    private final MeterRegistry registry;
    private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();

    /**
     * Creates the listener; the meters of a queue are registered when its first task is claimed.
     *
     * @param registry where the meters are registered
     */
    public TaskWorkerMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void claimed(ClaimedTask task, Duration waited) {
        meters(task.queue()).claimLatency.record(waited);
    }

    @Override
    public void finished(ClaimedTask task, TaskOutcome outcome, Duration ran) {
        QueueMeters meters = meters(task.queue());
        meters.durations[outcome.ordinal()].record(ran);
        meters.attempts[outcome.ordinal()].record(task.attempt());
    }

    private QueueMeters meters(String queue) {
        return queues.computeIfAbsent(queue, name -> new QueueMeters(registry, name));
    }

    @Override
    public String toString() {
        return "TaskWorkerMeters" + queues.keySet();
    }

    /** The meters of one queue, one per outcome where tagged. */
    private static final class QueueMeters {

        private final Timer claimLatency;
        private final Timer[] durations = new Timer[TaskOutcome.values().length];
        private final DistributionSummary[] attempts = new DistributionSummary[TaskOutcome.values().length];

        QueueMeters(MeterRegistry registry, String queue) {
            claimLatency = Timer.builder(CLAIM_LATENCY)
                    .description("How long a claimed task had been claimable before its claim (Redis server time)")
                    .tag("queue", queue)
                    .register(registry);
            for (TaskOutcome outcome : TaskOutcome.values()) {
                String tag = outcome.name().toLowerCase(Locale.ROOT);
                durations[outcome.ordinal()] = Timer.builder(DURATION)
                        .description("Runs of the handler by this instance's workers, until the completion or "
                                + "failure was recorded")
                        .tag("queue", queue)
                        .tag("outcome", tag)
                        .register(registry);
                attempts[outcome.ordinal()] = DistributionSummary.builder(ATTEMPTS)
                        .description("Attempt number of each run by this instance's workers, 1 for the first")
                        .tag("queue", queue)
                        .tag("outcome", tag)
                        .baseUnit("attempts")
                        .register(registry);
            }
        }
    }
}
