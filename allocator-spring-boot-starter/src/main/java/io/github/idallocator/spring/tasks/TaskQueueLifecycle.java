package io.github.idallocator.spring.tasks;

import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskWorkerListener;
import io.github.idallocator.tasks.TaskWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the workers of the application's {@link TaskListener} methods and closes the task queues. It starts and stops
 * in phase {@link IdAllocatorLifecycle#PHASE}: after the Redis connection factory started and every singleton bean
 * (with its listener methods) exists, and, on shutdown, after the web server stopped taking requests and before the
 * connection factory stops. Stopping stops claiming, waits for running handlers up to each queue's shutdown timeout
 * (all queues at once), then ends the queues' wake-up subscriptions; tasks left unfinished run again elsewhere after
 * their visibility timeout.
 */
public final class TaskQueueLifecycle implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskQueueLifecycle.class);

    private final ObjectProvider<TaskQueues> queues;
    private final ObjectProvider<TaskListenerRegistry> listeners;
    private final ObjectProvider<TaskWorkerListener> workerListeners;
    private final List<RedisTaskQueue> managed = new CopyOnWriteArrayList<>();
    private final List<TaskWorkers> workers = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param queues the task queues (looked up at start)
     * @param listeners the listener methods (none when absent)
     */
    public TaskQueueLifecycle(
            ObjectProvider<TaskQueues> queues,
            ObjectProvider<TaskListenerRegistry> listeners,
            ObjectProvider<TaskWorkerListener> workerListeners) {
        this.queues = queues;
        this.listeners = listeners;
        this.workerListeners = workerListeners;
    }

    /**
     * Closes {@code queue} when the application stops.
     *
     * @param queue the queue to close
     * @return {@code queue}
     */
    public RedisTaskQueue manage(RedisTaskQueue queue) {
        managed.add(queue);
        return queue;
    }

    /** The workers running now, one per listener method: what meters of the workers read. */
    public List<TaskWorkers> workers() {
        return List.copyOf(workers);
    }

    /** Starts the workers of every listener method. */
    @Override
    public void start() {
        TaskListenerRegistry registry = listeners.getIfAvailable();
        if (registry != null && !registry.listeners().isEmpty()) {
            TaskQueues all = queues.getObject();
            TaskWorkerListener told = workerListeners.getIfUnique();
            for (TaskListenerMethod listener : registry.listeners()) {
                TaskQueueSettings settings = all.settings(listener.queue());
                TaskWorkers.Builder builder = TaskWorkers.builder(all.get(listener.queue()), listener)
                        .threads(listener.threads() > 0 ? listener.threads() : settings.threads())
                        .shutdownTimeout(settings.shutdownTimeout());
                if (told != null) {
                    builder.listener(told);
                }
                workers.add(builder.start());
            }
        }
        running = true;
    }

    /** Stops the workers, then closes the queues. */
    @Override
    public void stop() {
        running = false;
        stopWorkers();
        closeQueues();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return IdAllocatorLifecycle.PHASE;
    }

    /** Stops what {@link #stop()} did not (stopping twice does nothing). */
    @Override
    public void destroy() {
        stopWorkers();
        closeQueues();
    }

    private void stopWorkers() {
        List<Thread> stopping = new ArrayList<>();
        for (TaskWorkers each : workers) {
            Thread thread = new Thread(() -> close(each), "idallocator-tasks-stop-" + each.queue());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        workers.clear();
    }

    private static void close(TaskWorkers each) {
        try {
            each.close();
        } catch (RuntimeException e) {
            log.warn("Could not stop the workers of task queue '{}'", each.queue(), e);
        }
    }

    private void closeQueues() {
        for (RedisTaskQueue queue : managed) {
            try {
                queue.close();
            } catch (RuntimeException e) {
                log.warn("Could not close task queue '{}'", queue.name(), e);
            }
        }
    }
}
