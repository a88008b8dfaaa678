package io.github.idallocator.tasks.fault;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.test.WorkerGroup;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One task fault test: a Redis server, the test's own view of the queue, and {@link TaskWorker} processes logging under
 * {@code target/fault/<scenario>/<worker>/} (see {@link WorkerGroup}).
 */
final class TaskScenario extends WorkerGroup {

    private final RedisServerProcess redis;
    private final LettuceConnectionFactory factory;
    private final RedisTaskQueue queue;
    private final Duration visibility;

    TaskScenario(String name, Duration visibility) {
        super(name);
        this.visibility = visibility;
        this.redis = RedisServerProcess.start();
        this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        this.queue = RedisTaskQueue.create(
                factory,
                TaskQueueConfig.builder(name)
                        .visibilityTimeout(visibility)
                        .maxAttempts(TaskQueueConfig.MAX_ATTEMPTS)
                        .pollBound(Duration.ofMillis(100))
                        .build(),
                "test");
    }

    /** The queue, as the test process sees it. */
    RedisTaskQueue queue() {
        return queue;
    }

    /** Starts a worker that only claims and completes on command. */
    WorkerProcess start(String name) {
        return start(name, 0, Duration.ZERO, Duration.ZERO, false);
    }

    /**
     * Starts a worker with {@code threads} handler threads, each task's handler working 0 to {@code work} on its first
     * attempt and 0 to {@code retryWork} on later ones; with {@code onGo} the handlers start only on the command {@code
     * go}.
     */
    WorkerProcess start(String name, int threads, Duration work, Duration retryWork, boolean onGo) {
        return start(
                name,
                TaskWorker.class,
                List.of(
                        "redis=" + redis.address(),
                        "queue=" + queue.name(),
                        "visibility-ms=" + visibility.toMillis(),
                        "threads=" + threads,
                        "work-ms=" + work.toMillis(),
                        "retry-work-ms=" + retryWork.toMillis(),
                        "start-on-go=" + onGo));
    }

    /** Kills the workers that are left, then stops the queue and Redis. */
    @Override
    public void close() {
        super.close();
        queue.close();
        factory.destroy();
        redis.close();
    }
}
