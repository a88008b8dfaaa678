package io.github.idallocator.tasks;

import io.github.idallocator.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A queue of tasks of one kind, shared by many JVMs. Producers {@link #submit} payloads; workers {@link #claim} tasks,
 * which makes each a lease: an owner, a fencing token and a deadline by Redis server time (the visibility timeout). A
 * worker that dies or pauses past the deadline loses the task to the next claim, with its attempt count one higher, and
 * its late {@link #complete} is refused: delivery is at least once, completion exactly once, by the holder of the
 * current token. Failed attempts are retried after a backoff up to {@link TaskQueueConfig#maxAttempts()}, then the task
 * dies: {@link #dead} lists the dead tasks, {@link #requeue} brings one back. Finished tasks are deleted after their
 * retention, and every key expires when the queue is left idle.
 *
 * <p>Each operation is one atomic script on keys of one Redis Cluster slot; its cost grows with the logarithm of the
 * queue's size, never with the size itself. Invalid input is rejected with {@link
 * io.github.idallocator.InvalidArgumentException} before Redis is touched; a Redis that cannot be reached makes a call
 * fail with {@link io.github.idallocator.RedisUnavailableException} within the client's command timeout, also while
 * waiting. Most applications run handlers with {@link TaskWorkers} rather than calling claim and complete themselves.
 */
public interface TaskQueue {

    /** The queue's name. */
    String name();

    /** The configuration. */
    TaskQueueConfig config();

    /**
     * Adds a task. With a task id in {@code options} the call is idempotent: while the queue has a task of that id, it
     * changes nothing and says so ({@link Submission#created()} false).
     *
     * @param payload the task's input, handed to its worker as it is (the queue never reads it)
     */
    Submission submit(String payload, SubmitOptions options);

    /** The task of id {@code taskId}, or empty when the queue has none (never submitted, or deleted after retention). */
    Optional<TaskStatus> status(String taskId);

    /**
     * Waits up to {@code timeout} until task {@code taskId} finished (completed or dead). A Redis that does not answer
     * for a while (a restart, a failover) does not end the wait: reads are tried again until the timeout.
     *
     * @return the finished task
     * @throws TaskTimeoutException when it did not finish in time (retryable)
     * @throws TaskNotFoundException when the queue has no such task
     * @throws io.github.idallocator.RedisUnavailableException when the last read before the timeout failed
     */
    TaskStatus awaitFinished(String taskId, Duration timeout);

    /**
     * Claims up to {@code maxTasks} claimable tasks for {@link TaskQueueConfig#visibilityTimeout()}, highest priority
     * first, waiting up to {@code waitTimeout} while none is claimable. The claims are not extended in the background:
     * extend them ({@link #extend}) or finish them before their deadline.
     *
     * @param maxTasks 1 to 1000
     * @param waitTimeout zero (one attempt) to 1 hour
     * @return the claimed tasks; empty when none became claimable within the wait
     */
    List<ClaimedTask> claim(int maxTasks, Duration waitTimeout);

    /**
     * Moves the deadline of a claimed task to {@code visibilityTimeout} from now (Redis server time).
     *
     * @return false when the claim is no longer the task's current one, or its deadline passed
     */
    boolean extend(ClaimedTask task, Duration visibilityTimeout);

    /**
     * Records how far a claimed task got, for {@link #status}.
     *
     * @return false when the claim is no longer the task's current one, or its deadline passed
     */
    boolean progress(ClaimedTask task, long current, long total);

    /**
     * Completes a claimed task with its result. Idempotent: a retry after a failure whose completion did reach Redis
     * answers true again and changes nothing.
     *
     * @return true when completed (by this claim); false when refused: the claim is no longer the task's current one or
     *     its deadline passed, so another worker may run (or ran) it
     */
    boolean complete(ClaimedTask task, String result);

    /**
     * Ends a failed attempt of a claimed task: it is retried as {@code retry} asks while it has attempts left, else it
     * dies.
     *
     * @param error why it failed, kept as the task's last error
     * @return the task's state afterwards ({@link TaskState#DELAYED}, {@link TaskState#WAITING} or {@link
     *     TaskState#DEAD}); empty when refused, as for {@link #complete}
     */
    Optional<TaskState> fail(ClaimedTask task, String error, Retry retry);

    /**
     * One page of the dead tasks, most recently dead first.
     *
     * @param offset 0 for the first page, else {@link DeadTaskPage#nextOffset()} of the previous
     * @param count 1 to 1000
     */
    DeadTaskPage dead(long offset, int count);

    /**
     * Makes a dead task claimable again, with a fresh count of attempts.
     *
     * @return false when the queue has no dead task of that id
     */
    boolean requeue(String taskId);

    /**
     * Announces that worker {@code workerId} of this queue is alive for {@code presence} from now (Redis server time),
     * or, with {@link Duration#ZERO}, that it stopped.
     *
     * @return how many workers are alive
     */
    long announce(String workerId, Duration presence);

    /** The queue's counts and counters, read at once. */
    TaskQueueStats stats();

    /** Adds a task with a random id, no delay and priority 0. */
    default Submission submit(String payload) {
        return submit(payload, SubmitOptions.defaults());
    }

    /**
     * Waits up to {@code timeout} for the result of task {@code taskId}.
     *
     * @throws TaskFailedException when the task died
     * @throws TaskTimeoutException when it did not finish in time (retryable)
     * @throws TaskNotFoundException when the queue has no such task
     */
    default String result(String taskId, Duration timeout) {
        TaskStatus finished = awaitFinished(taskId, timeout);
        if (finished.state() == TaskState.DEAD) {
            throw new TaskFailedException(name(), finished);
        }
        return finished.result() == null ? "" : finished.result();
    }

    /** Claims up to {@code maxTasks} tasks claimable now; never waits. */
    default List<ClaimedTask> claim(int maxTasks) {
        return claim(maxTasks, Duration.ZERO);
    }

    /**
     * Completes a claimed task, as {@link #complete} does, then claims up to {@code maxTasks} tasks claimable now (never
     * waits), whether or not the completion was accepted: a busy worker's way to finish a task and take the next. The
     * Redis queue does both in one script, one round trip; this default makes two calls.
     *
     * @param maxTasks how many tasks to claim at most; 0 only completes
     */
    default CompletedAndClaimed completeAndClaim(ClaimedTask task, String result, int maxTasks) {
        Checks.requireBetween(
                "maxTasks", maxTasks, 0, RedisTaskQueue.MAX_BATCH, "a claim", "use 0 to " + RedisTaskQueue.MAX_BATCH);
        boolean completed = complete(task, result);
        return new CompletedAndClaimed(completed, maxTasks == 0 ? List.of() : claim(maxTasks));
    }

    /** Extends a claimed task by the queue's visibility timeout; see {@link #extend(ClaimedTask, Duration)}. */
    default boolean extend(ClaimedTask task) {
        return extend(task, config().visibilityTimeout());
    }

    /** Ends a failed attempt, retried after the queue's backoff; see {@link #fail(ClaimedTask, String, Retry)}. */
    default Optional<TaskState> fail(ClaimedTask task, String error) {
        return fail(task, error, Retry.BACKOFF);
    }
}
