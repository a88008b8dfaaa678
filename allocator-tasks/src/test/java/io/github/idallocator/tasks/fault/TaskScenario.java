package io.github.idallocator.tasks.fault;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerControl;
import io.github.idallocator.test.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One task fault test: a Redis server, the test's own view of the queue, and {@link TaskWorker} processes logging under
 * {@code target/fault/<scenario>/<worker>/}. Stops the workers, then kills what is left when the test ends.
 */
final class TaskScenario implements AutoCloseable {

    /** A worker JVM on a busy two-core machine may take a while to start, or to stop. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    /** A worker command is handled within this. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final RedisServerProcess redis;
    private final LettuceConnectionFactory factory;
    private final RedisTaskQueue queue;
    private final Duration visibility;
    private final List<WorkerProcess> workers = new ArrayList<>();

    TaskScenario(String name, Duration visibility) {
        this.directory = Path.of("target", "fault", name).toAbsolutePath();
        this.visibility = visibility;
        deleteRecursively(directory);
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
        WorkerProcess worker = WorkerProcess.builder(name, TaskWorker.class)
                .parentDirectory(directory)
                .arguments(
                        "name=" + name,
                        "redis=" + redis.address(),
                        "queue=" + queue.name(),
                        "visibility-ms=" + visibility.toMillis(),
                        "threads=" + threads,
                        "work-ms=" + work.toMillis(),
                        "retry-work-ms=" + retryWork.toMillis(),
                        "start-on-go=" + onGo)
                .start();
        workers.add(worker);
        return worker;
    }

    /**
     * Asks every live worker to stop (resuming paused ones) and waits until all have exited; fails if a worker failed
     * rather than being stopped or killed.
     */
    void stopAll() {
        List<WorkerProcess> alive =
                workers.stream().filter(WorkerProcess::isAlive).toList();
        for (WorkerProcess worker : alive) {
            if (worker.isPaused()) {
                worker.resume();
            }
            worker.send(WorkerControl.STOP);
        }
        for (WorkerProcess worker : alive) {
            worker.awaitExit(PROCESS_TIMEOUT);
        }
        for (WorkerProcess worker : workers) {
            if (worker.hasFailed()) {
                throw new AssertionError("Worker " + worker.name() + " failed" + worker.outputTail());
            }
        }
    }

    /** Lines the workers logged at level ERROR from idallocator's classes (logback shortens the package to i.g.i). */
    List<String> libraryErrors() {
        List<String> lines = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            worker.outputLines().stream()
                    .filter(line -> line.matches("\\S+ ERROR .*i\\.g\\.i\\..*"))
                    .forEach(line -> lines.add(worker.name() + ": " + line));
        }
        return lines;
    }

    /** The merged logs of every worker so far. */
    FaultLogs logs() {
        return FaultLogs.read(directory);
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
        queue.close();
        factory.destroy();
        redis.close();
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Gave up after " + timeout + " waiting for " + what);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + root, e);
        }
    }
}
