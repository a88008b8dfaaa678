package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.internal.LeaseKeeper;
import io.github.idallocator.range.InstanceIds;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TaskHandler} on the tasks of one queue with a bounded pool of threads: one thread claims as many tasks
 * as threads are free (waiting on the queue's channel while none is claimable), each task runs on a pool thread, its
 * claim is extended every third of the visibility timeout while the handler runs, and the handler's return value
 * completes it, its exception fails it. A thread that completes a task claims its next one in the same call ({@link
 * TaskQueue#completeAndClaim}) and runs it, so a busy worker makes one round trip per task. The workers announce
 * themselves on the queue (presence) while they run.
 *
 * <p>Delivery is at least once: a task whose worker died, paused or was cut off from Redis past its deadline runs again
 * elsewhere, and that worker's late result is refused. {@link #close()} stops claiming, waits for running handlers up
 * to the shutdown timeout, then interrupts them; tasks left unfinished run again after their deadline.
 */
public final class TaskWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);

    /** The most threads of one worker pool: {@value}. */
    public static final int MAX_THREADS = 1000;

    /** How long a worker's presence lasts after each announcement: 15 seconds (announced every 5). */
    static final Duration PRESENCE = Duration.ofSeconds(15);

    /** The longest error text stored for a failed attempt: {@value} characters. */
    static final int MAX_ERROR_LENGTH = 4096;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final TaskQueue queue;
    private final TaskHandler handler;
    private final TaskWorkerListener listener;
    private final int threads;
    private final String workerId;
    private final Duration shutdownTimeout;
    private final Semaphore free;
    private final ExecutorService pool;
    private final Thread poller;
    private final LeaseKeeper<ClaimedTask> keeper;
    private final ScheduledFuture<?> presence;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;

    private TaskWorkers(
            TaskQueue queue,
            TaskHandler handler,
            TaskWorkerListener listener,
            int threads,
            String workerId,
            Duration shutdownTimeout) {
        this.queue = queue;
        this.handler = handler;
        this.listener = listener;
        this.threads = threads;
        this.workerId = workerId;
        this.shutdownTimeout = shutdownTimeout;
        this.free = new Semaphore(threads);
        int number = POOLS.incrementAndGet();
        String prefix = "idallocator-tasks-" + queue.name() + "-" + number;
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, prefix + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.keeper = new LeaseKeeper<>(prefix + "-extend", new Extensions());
        this.presence = keeper.scheduler()
                .scheduleWithFixedDelay(this::announce, 0, PRESENCE.toMillis() / 3, TimeUnit.MILLISECONDS);
        this.poller = new Thread(this::poll, prefix + "-claim");
        poller.setDaemon(true);
    }

    /** A builder of workers running {@code handler} on the tasks of {@code queue}. */
    public static Builder builder(TaskQueue queue, TaskHandler handler) {
        return new Builder(queue, handler);
    }

    /** The queue's name. */
    public String queue() {
        return queue.name();
    }

    /** The id these workers announce themselves with. */
    public String workerId() {
        return workerId;
    }

    /** How many threads run handlers. */
    public int threads() {
        return threads;
    }

    /** How many handlers run now. */
    public int busy() {
        return threads - free.availablePermits();
    }

    /** Tasks these workers completed. */
    public long completed() {
        return completed.get();
    }

    /** Attempts these workers failed (the handler threw). */
    public long failed() {
        return failed.get();
    }

    /** Results and failures refused because the claim had been lost meanwhile. */
    public long refused() {
        return refused.get();
    }

    private void poll() {
        long backoffMillis = 0;
        while (running) {
            int permits = 0;
            try {
                free.acquire();
                permits = 1 + drainFree();
                List<ClaimedTask> tasks = queue.claim(permits, queue.config().pollBound());
                backoffMillis = 0;
                for (ClaimedTask task : tasks) {
                    keeper.renewFrom(task, task.clock().acquiredNanos());
                    tell(() -> listener.claimed(task, task.waited()));
                    permits--;
                    pool.execute(() -> run(task));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IdAllocatorException e) {
                if (!running) {
                    return;
                }
                backoffMillis = Math.min(
                        Math.max(2 * backoffMillis, 50),
                        queue.config().pollBound().toMillis());
                log.warn(
                        "Workers of {} could not claim tasks; trying again in {} ms: {}",
                        queue.config().describe(),
                        backoffMillis,
                        e.getMessage());
                sleep(backoffMillis);
            } catch (RuntimeException e) {
                log.error(
                        "Workers of {} failed to claim tasks; trying again",
                        queue.config().describe(),
                        e);
                sleep(queue.config().pollBound().toMillis());
            } finally {
                free.release(permits);
            }
        }
    }

    private int drainFree() {
        int more = free.drainPermits();
        int batch = Math.min(more, RedisTaskQueue.MAX_BATCH - 1);
        free.release(more - batch);
        return batch;
    }

    /** Runs {@code first}, then the tasks claimed as each completes, on this thread and its permit. */
    private void run(ClaimedTask first) {
        try {
            ClaimedTask task = first;
            while (task != null) {
                task = runOne(task);
            }
        } finally {
            free.release();
        }
    }

    /** Runs the handler on {@code task} and records how it ended; returns the next task claimed with it, if any. */
    private @Nullable ClaimedTask runOne(ClaimedTask task) {
        long started = System.nanoTime();
        TaskOutcome outcome = TaskOutcome.UNFINISHED;
        ClaimedTask next = null;
        try {
            String result;
            try {
                result = handler.handle(TaskContext.claimed(queue, task));
            } catch (Exception e) {
                outcome = fail(task, e);
                return null;
            }
            String stored = result == null ? "" : result;
            boolean accepted;
            if (running) {
                CompletedAndClaimed done = completeAndClaimNext(task, stored);
                accepted = done.completed();
                next = done.claimed().isEmpty() ? null : done.claimed().get(0);
            } else {
                accepted = whileHeld(task, () -> queue.complete(task, stored));
            }
            if (accepted) {
                completed.incrementAndGet();
                outcome = TaskOutcome.COMPLETED;
            } else {
                refused.incrementAndGet();
                outcome = TaskOutcome.REFUSED;
                log.warn("The result of {} was refused: its claim was lost (another worker may have run it)", task);
            }
        } catch (IdAllocatorException e) {
            log.warn("Could not finish {}; it runs again after its deadline: {}", task, e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("Finishing {} failed; it runs again after its deadline", task, e);
        } finally {
            keeper.forget(task);
            TaskOutcome ended = outcome;
            tell(() -> listener.finished(task, ended, Duration.ofNanos(System.nanoTime() - started)));
        }
        if (next != null) {
            ClaimedTask claimed = next;
            keeper.renewFrom(claimed, claimed.clock().acquiredNanos());
            tell(() -> listener.claimed(claimed, claimed.waited()));
        }
        return next;
    }

    /**
     * Completes {@code task} and claims the next one in one call. When Redis does not answer, only completes, trying
     * again while the claim is held (a task the lost call may have claimed runs again after its deadline).
     */
    private CompletedAndClaimed completeAndClaimNext(ClaimedTask task, String result) {
        try {
            return queue.completeAndClaim(task, result, 1);
        } catch (IdAllocatorException e) {
            if (!e.isRetryable() || !task.isHeld()) {
                throw e;
            }
            log.debug("Completing {} and claiming the next task failed; completing only: {}", task, e.getMessage());
            return new CompletedAndClaimed(whileHeld(task, () -> queue.complete(task, result)), List.of());
        }
    }

    /**
     * Runs {@code call} (a completion or failure of {@code task}), trying again while Redis does not answer and the
     * claim is still held: work that was done is recorded if Redis comes back before the claim's deadline.
     */
    private <T> T whileHeld(ClaimedTask task, Supplier<T> call) {
        long pauseMillis = 50;
        while (true) {
            try {
                return call.get();
            } catch (IdAllocatorException e) {
                if (!e.isRetryable() || !task.isHeld()) {
                    throw e;
                }
                log.debug("Finishing {} failed; trying again in {} ms: {}", task, pauseMillis, e.getMessage());
                sleep(pauseMillis);
                pauseMillis =
                        Math.min(2 * pauseMillis, queue.config().pollBound().toMillis());
            }
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn(
                    "A task worker listener of {} failed; ignored",
                    queue.config().describe(),
                    e);
        }
    }

    private TaskOutcome fail(ClaimedTask task, Exception e) {
        failed.incrementAndGet();
        String error = e.toString();
        if (error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH);
        }
        Retry retry = e instanceof NonRetryableTaskException ? Retry.NEVER : Retry.BACKOFF;
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String stored = error;
        var state = whileHeld(task, () -> queue.fail(task, stored, retry));
        if (state.isEmpty()) {
            refused.incrementAndGet();
            log.warn("The failure of {} was refused: its claim was lost meanwhile ({})", task, error);
            return TaskOutcome.REFUSED;
        }
        log.debug("{} failed ({}); it is now {}", task, error, state.get());
        return state.get() == TaskState.DEAD ? TaskOutcome.DIED : TaskOutcome.RETRIED;
    }

    private void announce() {
        try {
            queue.announce(workerId, PRESENCE);
        } catch (IdAllocatorException e) {
            log.debug(
                    "Workers of {} could not announce themselves: {}",
                    queue.config().describe(),
                    e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops claiming, waits up to the shutdown timeout for running handlers, then interrupts those still running;
     * withdraws the workers' presence.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        poller.interrupt();
        presence.cancel(false);
        pool.shutdown();
        try {
            poller.join(shutdownTimeout.toMillis() + 1);
            if (!pool.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "Handlers of {} still ran {} after shutdown began; interrupting them (their tasks run again "
                                + "after their deadline)",
                        queue.config().describe(),
                        shutdownTimeout);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            queue.announce(workerId, Duration.ZERO);
        } catch (IdAllocatorException e) {
            log.debug("Could not withdraw the presence of {}: {}", workerId, e.getMessage());
        }
        keeper.close();
        log.info(
                "Workers of {} stopped: {} completed, {} failed attempts, {} refused",
                queue.config().describe(),
                completed.get(),
                failed.get(),
                refused.get());
    }

    /** Extends the claims of running handlers. */
    private final class Extensions implements LeaseKeeper.Renewer<ClaimedTask> {

        @Override
        public LeaseClock clock(ClaimedTask task) {
            return task.clock();
        }

        @Override
        public @Nullable String renew(ClaimedTask task) {
            return queue.extend(task)
                    ? null
                    : "the queue refused to extend it: its deadline passed or it was claimed again";
        }

        @Override
        public @Nullable String stopped(ClaimedTask task, long nowNanos) {
            return null;
        }

        @Override
        public void lost(ClaimedTask task, String why) {
            task.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.LOST);
            log.warn("{} was lost while its handler runs: {}; its result will be refused", task, why);
        }

        @Override
        public String describe(ClaimedTask task) {
            return task.toString();
        }
    }

    /** Builds and starts {@link TaskWorkers}. */
    public static final class Builder {
        private final TaskQueue queue;
        private final TaskHandler handler;
        private TaskWorkerListener listener = new TaskWorkerListener() {};
        private int threads = 8;
        private @Nullable String workerId;
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private Builder(TaskQueue queue, TaskHandler handler) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Sets the listener told of every claim and every handler run (meters); replaces an earlier one. */
        public Builder listener(TaskWorkerListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** How many handlers run at once (1 to {@value #MAX_THREADS}; default 8). */
        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /** The id the workers announce themselves with (default: the queue's instance id, or a generated one). */
        public Builder workerId(String value) {
            this.workerId = value;
            return this;
        }

        /** How long {@link TaskWorkers#close()} waits for running handlers (0 to 1 hour; default 30 seconds). */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        /** Checks the settings and starts claiming. */
        public TaskWorkers start() {
            String owner = "the workers of " + queue.config().describe();
            Checks.requireBetween("threads", threads, 1, MAX_THREADS, owner, "use 8 (the default)");
            Checks.requireBetween(
                    "shutdownTimeout",
                    shutdownTimeout,
                    Duration.ZERO,
                    Duration.ofHours(1),
                    owner,
                    "use a duration such as PT30S (the default)");
            String id = workerId != null
                    ? workerId
                    : queue instanceof RedisTaskQueue redis ? redis.instanceId() : InstanceIds.generate();
            InstanceIds.require(id);
            TaskWorkers workers = new TaskWorkers(queue, handler, listener, threads, id, shutdownTimeout);
            workers.poller.start();
            log.info(
                    "Started {} worker threads on {} as {}",
                    threads,
                    queue.config().describe(),
                    id);
            return workers;
        }
    }
}
