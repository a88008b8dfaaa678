package io.github.idallocator.test;

import io.github.idallocator.launcher.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The worker processes of one multi-process fault test, each logging under {@code <directory>/<worker>/}: starts them,
 * stops them all, reads their merged logs and the errors the library logged in them, and kills what is left when
 * closed. Modules extend it with what their scenarios share (a Redis server, checks of the logs).
 */
public class WorkerGroup implements AutoCloseable {

    /** A worker JVM on a busy two-core machine may take a while to start, or to stop. */
    public static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    /** A worker command is handled within this. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final List<WorkerProcess> workers = new ArrayList<>();

    /** A group logging under {@code target/fault/<scenario>/}, emptied first. */
    public WorkerGroup(String scenario) {
        this(Path.of("target", "fault", scenario).toAbsolutePath());
    }

    /** A group logging under {@code directory}, emptied first. */
    public WorkerGroup(Path directory) {
        this.directory = directory;
        deleteRecursively(directory);
    }

    /** Where the workers log, one folder each. */
    public Path directory() {
        return directory;
    }

    /** The workers started so far, killed, stopped and alive alike. */
    public List<WorkerProcess> workers() {
        return List.copyOf(workers);
    }

    /**
     * Starts a worker running {@code main} with {@code arguments} and {@code name=<name>} (the workers' convention:
     * {@code key=value} arguments, the process's name in the logs), without waiting for it.
     */
    public WorkerProcess start(String name, Class<?> main, List<String> arguments) {
        List<String> all = new ArrayList<>(arguments);
        all.add("name=" + name);
        WorkerProcess worker = WorkerProcess.builder(name, main)
                .parentDirectory(directory)
                .arguments(all)
                .start();
        workers.add(worker);
        return worker;
    }

    /**
     * Asks every live worker to stop (resuming paused ones) and waits until all have exited; fails if a worker failed
     * (it ended by itself with an error, or a thread died of an uncaught exception) rather than being stopped or killed.
     */
    public void stopAll() {
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

    /**
     * Lines the workers logged at level ERROR from idallocator's own classes (logback's {@code %logger{20}} shortens
     * {@code io.github.idallocator} to {@code i.g.i}): failures of a background task (a renewal, a prefetch, a handler's
     * completion) that did not reach a caller as a typed exception.
     */
    public List<String> libraryErrors() {
        List<String> lines = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            worker.outputLines().stream()
                    .filter(line -> line.matches("\\S+ ERROR .*i\\.g\\.i\\..*"))
                    .forEach(line -> lines.add(worker.name() + ": " + line));
        }
        return lines;
    }

    /** The merged logs of every worker so far. */
    public FaultLogs logs() {
        return FaultLogs.read(directory);
    }

    /** Kills the workers that are left. */
    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
    }

    /**
     * A worker's {@code key=value} arguments (what {@link #start} passes) as a map; the worker's side of the convention.
     *
     * @throws IllegalArgumentException naming an argument that is not {@code key=value}
     */
    public static Map<String, String> arguments(String[] args) {
        Map<String, String> arguments = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("Arguments are key=value: " + arg);
            }
            arguments.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return arguments;
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        if (!Waiting.until(timeout, Duration.ofMillis(20), condition)) {
            throw new AssertionError("Gave up after " + timeout + " waiting for " + what);
        }
    }

    /** Sleeps {@code duration}. */
    public static void sleep(Duration duration) {
        Waiting.sleep(duration);
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
