package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.DeadTask;
import io.github.idallocator.tasks.DeadTaskPage;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskQueueStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/** The queues of a {@link TaskQueues} facade, each read from Redis when asked: what the endpoint shows. */
public final class TaskQueuesDescriptors implements TaskQueueDescriptors {

    private final TaskQueues queues;
    private final ToIntFunction<String> workerThreads;

    /**
     * Creates the view.
     *
     * @param queues the queues to show
     * @param workerThreads how many threads this instance's listener of a queue runs, 0 when it has none
     */
    public TaskQueuesDescriptors(TaskQueues queues, ToIntFunction<String> workerThreads) {
        this.queues = Objects.requireNonNull(queues, "queues");
        this.workerThreads = Objects.requireNonNull(workerThreads, "workerThreads");
    }

    @Override
    public Map<String, TaskQueueDescriptor> all() {
        Map<String, TaskQueueDescriptor> all = new LinkedHashMap<>();
        for (TaskQueue queue : queues) {
            all.put(queue.name(), describe(queue, false));
        }
        return all;
    }

    @Override
    public @Nullable TaskQueueDescriptor one(String name) {
        return queues.find(name).map(queue -> describe(queue, true)).orElse(null);
    }

    private TaskQueueDescriptor describe(TaskQueue queue, boolean withDead) {
        TaskQueueConfig config = queue.config();
        TaskQueueDescriptor.Configuration configuration = new TaskQueueDescriptor.Configuration(
                config.visibilityTimeout().toString(),
                config.maxAttempts(),
                config.retention().toString(),
                config.deadRetention().toString(),
                workerThreads.applyAsInt(queue.name()));
        try {
            TaskQueueDescriptor.Stats stats = stats(queue.stats());
            TaskQueueDescriptor.DeadTasks dead = withDead ? dead(queue.dead(0, TaskQueueDescriptor.DEAD_PAGE)) : null;
            return new TaskQueueDescriptor(queue.name(), configuration, stats, dead, null);
        } catch (IdAllocatorException e) {
            return new TaskQueueDescriptor(queue.name(), configuration, null, null, e.getMessage());
        }
    }

    private static TaskQueueDescriptor.Stats stats(TaskQueueStats stats) {
        Duration oldest = stats.oldestWaiting();
        return new TaskQueueDescriptor.Stats(
                stats.waiting(),
                stats.delayed(),
                stats.running(),
                stats.dead(),
                stats.finished(),
                stats.liveWorkers(),
                oldest == null ? null : oldest.toString(),
                stats.submitted(),
                stats.completed(),
                stats.failed(),
                stats.retried(),
                stats.died(),
                stats.expired(),
                stats.requeued());
    }

    private static TaskQueueDescriptor.DeadTasks dead(DeadTaskPage page) {
        List<TaskQueueDescriptor.DeadTaskDescriptor> tasks =
                page.tasks().stream().map(TaskQueuesDescriptors::dead).toList();
        return new TaskQueueDescriptor.DeadTasks(tasks, page.total(), page.nextOffset());
    }

    private static TaskQueueDescriptor.DeadTaskDescriptor dead(DeadTask task) {
        return new TaskQueueDescriptor.DeadTaskDescriptor(
                task.id(), task.diedAt().toString(), task.attempts(), task.lastError());
    }
}
