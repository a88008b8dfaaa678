package io.github.idallocator.micrometer;

import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters of task queues, tag {@code queue}, from each queue's {@link TaskQueue#stats()}, the same for every instance:
 * the gauges {@value #WAITING}, {@value #DELAYED}, {@value #RUNNING} (tasks in flight), {@value #DEAD}, {@value
 * #FINISHED}, {@value #WORKERS} (live workers) and {@value #OLDEST_WAITING} (seconds the oldest claimable task has
 * waited, 0 when none waits); the function counters {@value #SUBMITTED}, {@value #COMPLETED}, {@value #FAILED}, {@value
 * #RETRIED}, {@value #DIED}, {@value #EXPIRED} and {@value #REQUEUED} (counted by Redis since the queue's keys were
 * created: they start again from 0 after the queue was left idle until its keys expired); and {@value #STATS_AGE}
 * (seconds since the stats were last read).
 *
 * <p>A scrape never waits for Redis: the stats are read by a background thread of the binder's own, one queue after the
 * other every refresh interval, and the meters report the last reading. Before the first reading, and while the last
 * one failed (Redis unreachable), the gauges report {@code NaN} and the counters keep their last value; the age keeps
 * growing meanwhile. {@link #close()} stops the thread. The claim latency, run time and attempts of the tasks this
 * instance runs come from {@link TaskWorkerMeters}.
 */
public class TaskQueueMeterBinder implements MeterBinder, AutoCloseable {

    /** Gauge of the tasks claimable now. */
    public static final String WAITING = "idallocator.tasks.waiting";

    /** Gauge of the tasks waiting for their time (delay or backoff). */
    public static final String DELAYED = "idallocator.tasks.delayed";

    /** Gauge of the claimed tasks (in flight). */
    public static final String RUNNING = "idallocator.tasks.running";

    /** Gauge of the dead tasks kept. */
    public static final String DEAD = "idallocator.tasks.dead";

    /** Gauge of the completed and dead tasks kept for their retention. */
    public static final String FINISHED = "idallocator.tasks.finished";

    /** Gauge of the workers that announced themselves within their presence time. */
    public static final String WORKERS = "idallocator.tasks.workers";

    /** Gauge of the seconds the oldest claimable task has been claimable. */
    public static final String OLDEST_WAITING = "idallocator.tasks.oldest.waiting";

    /** Counter of the tasks submitted. */
    public static final String SUBMITTED = "idallocator.tasks.submitted";

    /** Counter of the tasks completed. */
    public static final String COMPLETED = "idallocator.tasks.completed";

    /** Counter of the attempts that failed. */
    public static final String FAILED = "idallocator.tasks.failed";

    /** Counter of the failed attempts retried. */
    public static final String RETRIED = "idallocator.tasks.retried";

    /** Counter of the tasks that died. */
    public static final String DIED = "idallocator.tasks.died";

    /** Counter of the attempts whose deadline passed without completion. */
    public static final String EXPIRED = "idallocator.tasks.expired";

    /** Counter of the dead tasks requeued. */
    public static final String REQUEUED = "idallocator.tasks.requeued";

    /** Gauge of the seconds since the stats were last read from Redis. */
    public static final String STATS_AGE = "idallocator.tasks.stats.age";

    /** How often the stats are read from Redis unless told otherwise: 5 seconds. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    /** What each counter's description ends with: Redis counts for every instance. */
    private static final String SINCE_CREATED = " (all instances, since the queue's keys were created)";

    private final Iterable<? extends TaskQueue> queues;
    private final BackgroundReads<StatsReading<TaskQueueStats>> reads;

    /**
     * Creates the binder; the stats are read every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param queues the queues to measure, read when the binder is first bound to a registry; their names must differ
     */
    public TaskQueueMeterBinder(Iterable<? extends TaskQueue> queues) {
        this(queues, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Creates the binder.
     *
     * @param queues the queues to measure, read when the binder is first bound to a registry; their names must differ
     * @param refreshInterval how often the background thread reads the queues' stats from Redis (positive)
     */
    public TaskQueueMeterBinder(Iterable<? extends TaskQueue> queues, Duration refreshInterval) {
        this.queues = queues;
        this.reads = new BackgroundReads<>("idallocator-task-meters-", refreshInterval, StatsReading::refresh);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (StatsReading<TaskQueueStats> queue : tracked()) {
            queue.gauge(registry, WAITING, "Tasks claimable now", "tasks", TaskQueueStats::waiting);
            queue.gauge(
                    registry,
                    DELAYED,
                    "Tasks waiting for their time (delay or backoff)",
                    "tasks",
                    TaskQueueStats::delayed);
            queue.gauge(registry, RUNNING, "Claimed tasks (in flight)", "tasks", TaskQueueStats::running);
            queue.gauge(registry, DEAD, "Dead tasks kept", "tasks", TaskQueueStats::dead);
            queue.gauge(
                    registry,
                    FINISHED,
                    "Completed and dead tasks kept for their retention",
                    "tasks",
                    TaskQueueStats::finished);
            queue.gauge(
                    registry,
                    WORKERS,
                    "Workers that announced themselves within their presence time",
                    "workers",
                    TaskQueueStats::liveWorkers);
            queue.gauge(
                    registry,
                    OLDEST_WAITING,
                    "Seconds the oldest claimable task has been claimable, 0 when none is",
                    "seconds",
                    TaskQueueMeterBinder::oldestWaitingSeconds);
            queue.counter(registry, SUBMITTED, "Tasks submitted" + SINCE_CREATED, "tasks", TaskQueueStats::submitted);
            queue.counter(registry, COMPLETED, "Tasks completed" + SINCE_CREATED, "tasks", TaskQueueStats::completed);
            queue.counter(registry, FAILED, "Attempts that failed" + SINCE_CREATED, "attempts", TaskQueueStats::failed);
            queue.counter(
                    registry, RETRIED, "Failed attempts retried" + SINCE_CREATED, "attempts", TaskQueueStats::retried);
            queue.counter(registry, DIED, "Tasks that died" + SINCE_CREATED, "tasks", TaskQueueStats::died);
            queue.counter(
                    registry,
                    EXPIRED,
                    "Attempts whose deadline passed without completion" + SINCE_CREATED,
                    "attempts",
                    TaskQueueStats::expired);
            queue.counter(registry, REQUEUED, "Dead tasks requeued" + SINCE_CREATED, "tasks", TaskQueueStats::requeued);
            queue.age(registry, STATS_AGE, "Seconds since the queue's stats were last read from Redis");
        }
    }

    private static double oldestWaitingSeconds(TaskQueueStats stats) {
        Duration oldest = stats.oldestWaiting();
        return oldest == null ? 0 : oldest.toNanos() / 1e9;
    }

    /** The queues, tracked from the first call on; the first call also starts the background reads. */
    private List<StatsReading<TaskQueueStats>> tracked() {
        return reads.items(() -> {
            List<StatsReading<TaskQueueStats>> all = new ArrayList<>();
            for (TaskQueue queue : queues) {
                all.add(new StatsReading<>("queue", queue.name(), queue::stats));
            }
            return all;
        });
    }

    /** Stops the background reads; the meters keep their last values. */
    @Override
    public void close() {
        reads.close();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (TaskQueue queue : queues) {
            names.add(queue.name());
        }
        return "TaskQueueMeterBinder" + names;
    }
}
