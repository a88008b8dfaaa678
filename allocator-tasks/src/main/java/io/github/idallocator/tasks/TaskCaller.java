package io.github.idallocator.tasks;

import io.github.idallocator.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task and returns its result, locally (the caller's handler, in the caller's thread) or remotely (submitted to
 * the queue and its result awaited), as a {@link TaskExecutionPolicy} says: the request-and-wait style of seed 001's
 * {@code query}. A remote run keeps the queue's guarantees (at least once, retries, dead tasks); a local run writes
 * nothing to Redis.
 */
public final class TaskCaller {

    private static final Logger log = LoggerFactory.getLogger(TaskCaller.class);

    private final TaskQueue queue;
    private final @Nullable TaskHandler localHandler;

    /**
     * @param localHandler the handler local runs use; null when this JVM cannot run the task (then only {@link
     *     TaskExecutionPolicy#REMOTE} and {@link TaskExecutionPolicy#AUTO} with a live worker can run it)
     */
    public TaskCaller(TaskQueue queue, @Nullable TaskHandler localHandler) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.localHandler = localHandler;
    }

    /** The queue remote runs use. */
    public TaskQueue queue() {
        return queue;
    }

    /**
     * Runs a task with {@code payload} as {@code policy} says and returns its result.
     *
     * @param options the submit options of a remote run; their task id is also the id of a local run
     * @param timeout how long a remote run's result is awaited (0 to 365 days)
     * @throws TaskFailedException when the task failed (remotely: it died; locally: the handler threw)
     * @throws TaskTimeoutException when a remote result did not arrive in time (retryable)
     * @throws io.github.idallocator.InvalidArgumentException when the policy needs a local handler and there is none
     */
    public String call(String payload, SubmitOptions options, TaskExecutionPolicy policy, Duration timeout) {
        Objects.requireNonNull(options, "options");
        Checks.requireBetween(
                "timeout",
                timeout,
                Duration.ZERO,
                RedisTaskQueue.MAX_RESULT_WAIT,
                "a task call",
                "use a duration such as PT30S");
        String id =
                options.taskId() != null ? options.taskId() : UUID.randomUUID().toString();
        SubmitOptions withId = options.taskId(id);
        return switch (Objects.requireNonNull(policy, "policy")) {
            case LOCAL -> local(id, payload, policy);
            case REMOTE -> remote(payload, withId, timeout);
            case LOCAL_FIRST -> {
                if (localHandler == null) {
                    yield remote(payload, withId, timeout);
                }
                try {
                    yield local(id, payload, policy);
                } catch (TaskFailedException e) {
                    log.info("Task '{}' of {} failed locally; running it remotely: {}", id, describe(), e.getMessage());
                    yield remote(payload, withId, timeout);
                }
            }
            case REMOTE_FIRST -> {
                try {
                    yield remote(payload, withId, timeout);
                } catch (TaskFailedException | TaskTimeoutException e) {
                    if (localHandler == null) {
                        throw e;
                    }
                    log.info(
                            "Task '{}' of {} did not succeed remotely; running it locally: {}",
                            id,
                            describe(),
                            e.getMessage());
                    yield local(id, payload, policy);
                }
            }
            case AUTO -> localHandler == null || queue.stats().liveWorkers() > 0
                    ? remote(payload, withId, timeout)
                    : local(id, payload, policy);
        };
    }

    /** Runs a task with a random id as {@code policy} says; see {@link #call(String, SubmitOptions, TaskExecutionPolicy, Duration)}. */
    public String call(String payload, TaskExecutionPolicy policy, Duration timeout) {
        return call(payload, SubmitOptions.defaults(), policy, timeout);
    }

    private String remote(String payload, SubmitOptions options, Duration timeout) {
        Submission submission = queue.submit(payload, options);
        return queue.result(submission.id(), timeout);
    }

    private String local(String id, String payload, TaskExecutionPolicy policy) {
        TaskHandler handler = localHandler;
        if (handler == null) {
            throw new io.github.idallocator.InvalidArgumentException(
                    "policy",
                    policy,
                    "policy " + policy + " runs task '" + id + "' of " + describe()
                            + " locally, but this caller has no local handler",
                    "give the TaskCaller a handler, or use REMOTE");
        }
        try {
            String result = handler.handle(new LocalContext(id, payload));
            return result == null ? "" : result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(queue.name(), id, e);
        } catch (Exception e) {
            throw new TaskFailedException(queue.name(), id, e);
        }
    }

    private String describe() {
        return queue.config().describe();
    }

    /** A task run in the caller's thread: no claim, nothing recorded. */
    private record LocalContext(String id, String payload) implements TaskContext {

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 0;
        }

        @Override
        public boolean isHeld() {
            return true;
        }

        @Override
        public Duration remaining() {
            return Duration.ofDays(365);
        }

        @Override
        public boolean progress(long current, long total) {
            return true;
        }

        @Override
        public boolean extend() {
            return true;
        }
    }
}
