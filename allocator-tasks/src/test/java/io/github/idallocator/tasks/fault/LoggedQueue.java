package io.github.idallocator.tasks.fault;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.CompletedAndClaimed;
import io.github.idallocator.tasks.DeadTaskPage;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.Submission;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskQueueStats;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskStatus;
import io.github.idallocator.test.EventLog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TaskQueue} that logs, once {@link #complete} or {@link #completeAndClaim} (the one {@link
 * io.github.idallocator.tasks.TaskWorkers} calls while it runs) returned, {@code MARK DONE <id> <token> true|false} (or {@code
 * error} when it threw: Redis may then have completed the task or not), so the test sees every completion its workers
 * were told about, in the merged timeline. Everything else goes to the queue it wraps.
 */
final class LoggedQueue implements TaskQueue {

    private final TaskQueue queue;
    private final EventLog log;

    LoggedQueue(TaskQueue queue, EventLog log) {
        this.queue = queue;
        this.log = log;
    }

    @Override
    public boolean complete(ClaimedTask task, String result) {
        boolean completed;
        try {
            completed = queue.complete(task, result);
        } catch (IdAllocatorException e) {
            log.error(e);
            log.mark("DONE", task.id() + " " + task.fencingToken() + " error");
            throw e;
        }
        log.mark("DONE", task.id() + " " + task.fencingToken() + " " + completed);
        return completed;
    }

    @Override
    public CompletedAndClaimed completeAndClaim(ClaimedTask task, String result, int maxTasks) {
        CompletedAndClaimed done;
        try {
            done = queue.completeAndClaim(task, result, maxTasks);
        } catch (IdAllocatorException e) {
            log.error(e);
            log.mark("DONE", task.id() + " " + task.fencingToken() + " error");
            throw e;
        }
        log.mark("DONE", task.id() + " " + task.fencingToken() + " " + done.completed());
        return done;
    }

    @Override
    public String name() {
        return queue.name();
    }

    @Override
    public TaskQueueConfig config() {
        return queue.config();
    }

    @Override
    public Submission submit(String payload, SubmitOptions options) {
        return queue.submit(payload, options);
    }

    @Override
    public Optional<TaskStatus> status(String taskId) {
        return queue.status(taskId);
    }

    @Override
    public TaskStatus awaitFinished(String taskId, Duration timeout) {
        return queue.awaitFinished(taskId, timeout);
    }

    @Override
    public List<ClaimedTask> claim(int maxTasks, Duration waitTimeout) {
        return queue.claim(maxTasks, waitTimeout);
    }

    @Override
    public boolean extend(ClaimedTask task, Duration visibilityTimeout) {
        return queue.extend(task, visibilityTimeout);
    }

    @Override
    public boolean progress(ClaimedTask task, long current, long total) {
        return queue.progress(task, current, total);
    }

    @Override
    public Optional<TaskState> fail(ClaimedTask task, String error, Retry retry) {
        return queue.fail(task, error, retry);
    }

    @Override
    public DeadTaskPage dead(long offset, int count) {
        return queue.dead(offset, count);
    }

    @Override
    public boolean requeue(String taskId) {
        return queue.requeue(taskId);
    }

    @Override
    public long announce(String workerId, Duration presence) {
        return queue.announce(workerId, presence);
    }

    @Override
    public TaskQueueStats stats() {
        return queue.stats();
    }
}
