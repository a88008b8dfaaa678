package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every task queue, from one read of its counts (one Redis script) per queue. All queues are read at once,
 * on threads of the indicator's own, and the indicator waits for them at most {@code timeout} in all; while a queue's
 * read is still under way, a new check waits for that read instead of starting another.
 *
 * <ul>
 *   <li>{@code DOWN} when a queue's counts cannot be read (Redis unreachable, or no answer within {@code timeout});
 *   <li>{@code DOWN} when a queue has no live worker (on any instance) and its oldest claimable task has waited longer
 *       than the queue's {@code idallocator.tasks.<name>.health.max-waiting}: nobody will run it;
 *   <li>{@code UP} otherwise, also while tasks wait for live workers that are busy.
 * </ul>
 *
 * Details list each queue with its status and counts: {@code waiting}, {@code delayed}, {@code running}, {@code dead},
 * {@code liveWorkers} and {@code oldestWaiting} (an ISO-8601 duration; absent when no task waits).
 */
public class TaskQueueHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

    private static final AtomicInteger INDICATORS = new AtomicInteger();

    private final TaskQueues queues;
    private final Duration timeout;
    private final ExecutorService reads;
    private final Map<String, CompletableFuture<TaskQueueStats>> inFlight = new ConcurrentHashMap<>();

    /**
     * Creates the indicator.
     *
     * @param queues the queues to check, with the longest wait each allows ({@link TaskQueues#settings})
     * @param timeout the longest a check waits for the queues' reads
     */
    public TaskQueueHealthIndicator(TaskQueues queues, Duration timeout) {
        super("Task queue health check failed");
        this.queues = queues;
        this.timeout = timeout;
        int number = INDICATORS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.reads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "idallocator-tasks-indicator-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, CompletableFuture<TaskQueueStats>> started = new LinkedHashMap<>();
        for (TaskQueue queue : queues) {
            started.put(queue.name(), read(queue));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Status overall = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<TaskQueueStats>> queue : started.entrySet()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            Duration maxWaiting = queues.settings(queue.getKey()).maxWaiting();
            if (Status.DOWN.equals(check(queue.getValue(), deadline, maxWaiting, detail))) {
                overall = Status.DOWN;
            }
            details.put(queue.getKey(), detail);
        }
        builder.status(overall).withDetails(details);
    }

    /** The read of {@code queue}'s counts under way, or a new one. */
    private CompletableFuture<TaskQueueStats> read(TaskQueue queue) {
        return inFlight.compute(queue.name(), (name, running) -> {
            if (running != null && !running.isDone()) {
                return running;
            }
            return CompletableFuture.supplyAsync(queue::stats, reads);
        });
    }

    private Status check(
            CompletableFuture<TaskQueueStats> read, long deadline, Duration maxWaiting, Map<String, Object> detail) {
        TaskQueueStats stats;
        try {
            stats = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return down(detail, "Redis did not answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down(detail, cause.getMessage() != null ? cause.getMessage() : cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(detail, "interrupted while reading the task queue");
        }
        detail.put("waiting", stats.waiting());
        detail.put("delayed", stats.delayed());
        detail.put("running", stats.running());
        detail.put("dead", stats.dead());
        detail.put("liveWorkers", stats.liveWorkers());
        Duration oldest = stats.oldestWaiting();
        if (oldest != null) {
            detail.put("oldestWaiting", oldest.toString());
        }
        if (stats.liveWorkers() == 0 && oldest != null && oldest.compareTo(maxWaiting) > 0) {
            return down(
                    detail, "no live worker, and the oldest task has waited " + oldest + ", longer than " + maxWaiting);
        }
        detail.put("status", Status.UP.getCode());
        return Status.UP;
    }

    private static Status down(Map<String, Object> detail, String error) {
        detail.put("status", Status.DOWN.getCode());
        detail.put("error", error);
        return Status.DOWN;
    }

    /** Stops the reading threads. */
    @Override
    public void close() {
        reads.shutdownNow();
    }
}
