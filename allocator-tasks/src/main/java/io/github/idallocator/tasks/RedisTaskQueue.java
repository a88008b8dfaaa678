package io.github.idallocator.tasks;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.internal.ReleaseWakeups;
import io.github.idallocator.range.InstanceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@link TaskQueue} on Redis: one instance per queue and process, safe for use by many threads. Waiting calls
 * ({@link #claim(int, Duration)}, {@link #awaitFinished}) poll at most every {@link TaskQueueConfig#pollBound()} and
 * are woken sooner by the queue's channel ({@code <prefix>:tasks:<name>}), on which a new claimable task and a finished
 * task are published. Close it to end that subscription.
 */
public final class RedisTaskQueue implements TaskQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisTaskQueue.class);

    /** The most tasks one claim takes and the largest page of dead tasks: {@value}. */
    public static final int MAX_BATCH = 1000;

    /** The longest a claim or a result reader waits: 1 hour for claims, 365 days for results. */
    public static final Duration MAX_CLAIM_WAIT = Duration.ofHours(1), MAX_RESULT_WAIT = Duration.ofDays(365);

    /**
     * The largest progress total: 2^53, the largest integer the scripts (Lua numbers are doubles) hold exactly. Larger
     * values came back rounded, or negative past 2^63 - 1024.
     */
    public static final long MAX_PROGRESS = 1L << 53;

    /** The largest offset of a page of dead tasks: a sorted set holds fewer, and Lua formats larger ones as floats. */
    public static final long MAX_DEAD_OFFSET = Integer.MAX_VALUE;

    /** The name of the wake-up signal of new claimable tasks (task ids never start with '+'). */
    static final String CLAIMABLE = "+";

    private static final long SUBSCRIPTION_RECOVERY_MILLIS = 1_000;

    private final TaskQueueConfig config;
    private final String instanceId;
    private final TaskScripts scripts;
    private final ReleaseWakeups wakeups;
    private final long pollBoundNanos;

    private RedisTaskQueue(RedisConnectionFactory connectionFactory, TaskQueueConfig config, String instanceId) {
        this.config = Objects.requireNonNull(config, "config");
        this.instanceId = InstanceIds.require(instanceId);
        this.scripts = new TaskScripts(new StringRedisTemplate(connectionFactory), config);
        this.wakeups = new ReleaseWakeups(
                connectionFactory, scripts.channel(), SUBSCRIPTION_RECOVERY_MILLIS, "idallocator-tasks");
        this.pollBoundNanos = config.pollBound().toNanos();
    }

    /**
     * The queue of {@code config} on Redis. Nothing is written until the first task is submitted.
     *
     * @param instanceId this instance's id, unique among all instances ({@link InstanceIds#generate()}); the owner of
     *     its claims and its worker id
     */
    public static RedisTaskQueue create(
            RedisConnectionFactory connectionFactory, TaskQueueConfig config, String instanceId) {
        RedisTaskQueue queue = new RedisTaskQueue(connectionFactory, config, instanceId);
        log.info("Attached to task queue '{}' as instance {}", config.name(), instanceId);
        return queue;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public TaskQueueConfig config() {
        return config;
    }

    /** This instance's id: the owner of its claims. */
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Submission submit(String payload, SubmitOptions options) {
        requireNonNull("payload", payload, "use an empty string for a task without input");
        requireNonNull("options", options, "use SubmitOptions.defaults()");
        if (options.delay().compareTo(config.idleExpiry()) > 0) {
            throw new InvalidArgumentException(
                    "delay",
                    options.delay(),
                    "delay " + options.delay() + " of a task of " + config.describe() + " is longer than its idle "
                            + "expiry " + config.idleExpiry() + ", after which an untouched queue disappears",
                    "use a shorter delay, or a longer idleExpiry");
        }
        String id =
                options.taskId() != null ? options.taskId() : UUID.randomUUID().toString();
        Submission submission =
                scripts.submit(id, payload, options.priority(), options.delay().toMillis());
        if (submission.state() == TaskState.WAITING && submission.created()) {
            wakeups.wake(CLAIMABLE);
        }
        return submission;
    }

    @Override
    public Optional<TaskStatus> status(String taskId) {
        return scripts.status(SubmitOptions.requireTaskId(taskId));
    }

    @Override
    public TaskStatus awaitFinished(String taskId, Duration timeout) {
        SubmitOptions.requireTaskId(taskId);
        Checks.requireBetween(
                "timeout", timeout, Duration.ZERO, MAX_RESULT_WAIT, "a result wait", "use a duration such as PT30S");
        long start = System.nanoTime();
        long timeoutNanos = timeout.toNanos();
        ReleaseWakeups.Signal signal = timeoutNanos == 0 ? null : wakeups.register(taskId);
        try {
            TaskState last = TaskState.WAITING;
            while (true) {
                long seen = signal == null ? 0 : signal.seen();
                IdAllocatorException failure = null;
                try {
                    TaskStatus status = status(taskId).orElseThrow(() -> new TaskNotFoundException(name(), taskId));
                    if (status.state().isFinished()) {
                        return status;
                    }
                    last = status.state();
                } catch (IdAllocatorException e) {
                    if (!e.isRetryable()) {
                        throw e;
                    }
                    failure = e;
                }
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0 || signal == null) {
                    if (failure != null) {
                        throw failure;
                    }
                    throw new TaskTimeoutException(name(), taskId, last, timeout);
                }
                signal.await(seen, Math.min(left, pollBoundNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdAllocatorException(
                    "Interrupted while waiting for task '" + taskId + "' of " + config.describe()
                            + "; the interrupt flag is set again",
                    e);
        } finally {
            if (signal != null) {
                wakeups.unregister(taskId);
            }
        }
    }

    @Override
    public List<ClaimedTask> claim(int maxTasks, Duration waitTimeout) {
        Checks.requireBetween("maxTasks", maxTasks, 1, MAX_BATCH, "a claim", "use 1 to " + MAX_BATCH);
        Checks.requireBetween(
                "waitTimeout", waitTimeout, Duration.ZERO, MAX_CLAIM_WAIT, "a claim", "use a duration such as PT1S");
        long visibilityMillis = config.visibilityTimeout().toMillis();
        long start = System.nanoTime();
        long waitNanos = waitTimeout.toNanos();
        ReleaseWakeups.Signal signal = waitNanos == 0 ? null : wakeups.register(CLAIMABLE);
        try {
            while (true) {
                long seen = signal == null ? 0 : signal.seen();
                long sent = System.nanoTime();
                TaskScripts.Claim claim = scripts.claim(instanceId, maxTasks, visibilityMillis);
                if (!claim.tasks().isEmpty() || signal == null) {
                    return claimedTasks(claim.tasks(), visibilityMillis, sent);
                }
                long left = waitNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return List.of();
                }
                long sleep = Math.min(left, pollBoundNanos);
                if (claim.nextDueMillis() >= 0) {
                    sleep = Math.min(
                            sleep, Duration.ofMillis(claim.nextDueMillis() + 1).toNanos());
                }
                signal.await(seen, sleep);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdAllocatorException(
                    "Interrupted while waiting to claim tasks of " + config.describe()
                            + "; the interrupt flag is set again",
                    e);
        } finally {
            if (signal != null) {
                wakeups.unregister(CLAIMABLE);
            }
        }
    }

    @Override
    public boolean extend(ClaimedTask task, Duration visibilityTimeout) {
        requireOwn(task);
        long millis = LeaseClock.requireLeaseTime(
                "visibilityTimeout", visibilityTimeout, config.describe(), "PT30S", "the worker");
        long sent = System.nanoTime();
        TaskScripts.ClaimReply reply = scripts.extend(task, millis);
        if (reply.done()) {
            task.extended(Instant.ofEpochMilli(Long.parseLong(Objects.requireNonNull(reply.detail()))), sent, millis);
            return true;
        }
        lost(task, reply);
        return false;
    }

    @Override
    public boolean progress(ClaimedTask task, long current, long total) {
        requireOwn(task);
        if (current < 0 || total < current) {
            throw new InvalidArgumentException(
                    "current",
                    current,
                    "progress " + current + " of " + total + " of task '" + task.id() + "' is invalid: current must"
                            + " be zero or more and at most total",
                    "report progress such as (40, 100)");
        }
        if (total > MAX_PROGRESS) {
            throw new InvalidArgumentException(
                    "total",
                    total,
                    "progress total " + total + " of task '" + task.id() + "' is larger than " + MAX_PROGRESS
                            + ", the largest the queue stores exactly",
                    "report progress in coarser units, such as kilobytes or percent");
        }
        TaskScripts.ClaimReply reply = scripts.progress(task, current, total);
        if (!reply.done()) {
            lost(task, reply);
        }
        return reply.done();
    }

    @Override
    public boolean complete(ClaimedTask task, String result) {
        requireOwn(task);
        requireNonNull("result", result, "use an empty string for a task without result");
        TaskScripts.ClaimReply reply = scripts.complete(task, result);
        if (!reply.done()) {
            lost(task, reply);
            return false;
        }
        task.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.RELEASING);
        return true;
    }

    @Override
    public CompletedAndClaimed completeAndClaim(ClaimedTask task, String result, int maxTasks) {
        requireOwn(task);
        requireNonNull("result", result, "use an empty string for a task without result");
        Checks.requireBetween("maxTasks", maxTasks, 0, MAX_BATCH, "a claim", "use 0 to " + MAX_BATCH);
        long visibilityMillis = config.visibilityTimeout().toMillis();
        long sent = System.nanoTime();
        TaskScripts.CompleteClaim reply =
                scripts.completeAndClaim(task, result, instanceId, maxTasks, visibilityMillis);
        if (reply.completion().done()) {
            task.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.RELEASING);
        } else {
            lost(task, reply.completion());
        }
        return new CompletedAndClaimed(
                reply.completion().done(), claimedTasks(reply.claimed(), visibilityMillis, sent));
    }

    @Override
    public Optional<TaskState> fail(ClaimedTask task, String error, Retry retry) {
        requireOwn(task);
        requireNonNull("error", error, "say why the attempt failed");
        requireNonNull("retry", retry, "use Retry.BACKOFF");
        Duration delay =
                retry.delay() != null ? retry.delay() : config.backoff().delay(task.attempt());
        if (delay.compareTo(config.idleExpiry()) > 0) {
            throw new InvalidArgumentException(
                    "retry",
                    retry,
                    "retry delay " + delay + " of task '" + task.id() + "' is longer than the idle expiry "
                            + config.idleExpiry() + " of " + config.describe()
                            + ", after which an untouched queue disappears",
                    "use a shorter delay, or a longer idleExpiry");
        }
        TaskScripts.ClaimReply reply = scripts.fail(task, error, retry.retries(), delay.toMillis());
        if (!reply.done()) {
            lost(task, reply);
            return Optional.empty();
        }
        task.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.RELEASING);
        TaskState state = TaskState.of(Objects.requireNonNull(reply.detail()));
        if (state == TaskState.WAITING) {
            wakeups.wake(CLAIMABLE);
        }
        return Optional.of(state);
    }

    @Override
    public DeadTaskPage dead(long offset, int count) {
        Checks.requireBetween(
                "offset",
                offset,
                0,
                MAX_DEAD_OFFSET,
                "a page of dead tasks",
                "use 0 for the first page, then the page's nextOffset");
        Checks.requireBetween("count", count, 1, MAX_BATCH, "a page of dead tasks", "use 1 to " + MAX_BATCH);
        return scripts.dead(offset, count);
    }

    @Override
    public boolean requeue(String taskId) {
        boolean requeued = scripts.requeue(SubmitOptions.requireTaskId(taskId));
        if (requeued) {
            wakeups.wake(CLAIMABLE);
        }
        return requeued;
    }

    @Override
    public long announce(String workerId, Duration presence) {
        InstanceIds.require(workerId);
        Checks.requireBetween(
                "presence",
                presence,
                Duration.ZERO,
                Duration.ofDays(1),
                "a worker of " + config.describe(),
                "use a duration such as PT30S, or zero when the worker stops");
        return scripts.presence(workerId, presence.toMillis());
    }

    @Override
    public TaskQueueStats stats() {
        return scripts.stats();
    }

    /** Ends the wake-up subscription; claims this instance holds are left to finish or expire. */
    @Override
    public void close() {
        wakeups.close();
    }

    private void requireOwn(@Nullable ClaimedTask task) {
        if (task == null || !task.queue().equals(name())) {
            throw new InvalidArgumentException(
                    "task",
                    task,
                    "task " + task + " was not claimed from " + config.describe(),
                    "finish a task through the queue it was claimed from");
        }
    }

    private static void requireNonNull(String what, @Nullable Object value, String fix) {
        if (value == null) {
            throw new InvalidArgumentException(what, null, what + " is null", fix);
        }
    }

    /** The claims of a reply, each timed from {@code sentNanos} (when the script was sent). */
    private List<ClaimedTask> claimedTasks(List<TaskScripts.Claimed> claimed, long visibilityMillis, long sentNanos) {
        List<ClaimedTask> tasks = new ArrayList<>(claimed.size());
        for (TaskScripts.Claimed c : claimed) {
            tasks.add(new ClaimedTask(
                    name(),
                    c.id(),
                    c.payload(),
                    c.attempt(),
                    c.token(),
                    instanceId,
                    Instant.ofEpochMilli(c.deadlineMillis()),
                    Duration.ofMillis(c.waitedMillis()),
                    visibilityMillis,
                    sentNanos));
        }
        return tasks;
    }

    private void lost(ClaimedTask task, TaskScripts.ClaimReply reply) {
        task.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.LOST);
        log.debug("{} of {} is no longer this instance's: {}", task, config.describe(), reply.detail());
    }
}
