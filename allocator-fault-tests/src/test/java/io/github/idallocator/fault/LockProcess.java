package io.github.idallocator.fault;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test's side of a {@link LockWorker} driven by commands: acquire, use and release locks in that process, and read
 * what it printed and logged.
 */
final class LockProcess {

    private final WorkerProcess process;
    private int acquisitions;

    LockProcess(WorkerProcess process) {
        this.process = process;
    }

    /** Starts a {@link LockWorker} named {@code name} in {@code scenario}. */
    static LockProcess start(FaultScenario scenario, String name, List<String> arguments) {
        return new LockProcess(scenario.start(name, LockWorker.class, arguments));
    }

    /** The arguments of a lock worker on one Redis server: namespace, lease time, and {@code more} key-value pairs. */
    static List<String> arguments(String redisAddress, String namespace, Duration leaseTime, Object... more) {
        List<String> arguments = new ArrayList<>(
                FaultWorker.arguments("redis", redisAddress, "namespace", namespace, "lease-ms", leaseTime.toMillis()));
        arguments.addAll(FaultWorker.arguments(more));
        return arguments;
    }

    /** The Redis key of lock {@code name} of {@code namespace} with the default key prefix. */
    static String key(String namespace, String name) {
        return "idalloc:{" + namespace + ":" + name + "}:lock";
    }

    /** {@code HGETALL key} on {@code redis}, as a map. */
    static Map<String, String> hash(RedisServerProcess redis, String key) {
        List<?> flat = (List<?>) redis.command("HGETALL", key);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }

    WorkerProcess process() {
        return process;
    }

    String name() {
        return process.name();
    }

    LockProcess awaitReady() {
        process.awaitReady(FaultScenario.PROCESS_TIMEOUT);
        return this;
    }

    /** Asks the worker to acquire {@code lock}, waiting up to {@code wait}, without waiting for the outcome. */
    void startAcquire(String lock, Duration wait) {
        acquisitions++;
        process.send("acquire " + lock + " " + wait.toMillis());
    }

    /** The outcome of the last {@link #startAcquire}: the lease, or an assertion error naming why not. */
    Acquired awaitAcquired(Duration timeout) {
        String line = awaitOutcome(timeout);
        if (!line.startsWith("ACQUIRED ")) {
            throw new AssertionError(name() + " did not acquire: " + line);
        }
        String[] words = line.split(" ");
        return new Acquired(words[2], Long.parseLong(words[3]), words[4]);
    }

    /** The exception's simple name (or {@code timeout}) with which the last {@link #startAcquire} failed. */
    String awaitNotAcquired(Duration timeout) {
        String line = awaitOutcome(timeout);
        if (line.startsWith("ACQUIRED ")) {
            throw new AssertionError(name() + " acquired: " + line);
        }
        return line.split(" ")[3];
    }

    private String awaitOutcome(Duration timeout) {
        String acquired = "ACQUIRED " + acquisitions + " ";
        String refused = "NOT-ACQUIRED " + acquisitions + " ";
        return process.awaitOutput(l -> l.startsWith(acquired) || l.startsWith(refused), timeout);
    }

    /**
     * Acquires {@code lock} without waiting, trying again while an attempt fails with a retryable exception such as
     * {@code ReplicaAckException}, up to {@code timeout}.
     */
    Acquired acquireEventually(String lock, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            startAcquire(lock, Duration.ZERO);
            String line = awaitOutcome(FaultScenario.COMMAND_TIMEOUT);
            if (line.startsWith("ACQUIRED ")) {
                String[] words = line.split(" ");
                return new Acquired(words[2], Long.parseLong(words[3]), words[4]);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name() + " did not acquire within " + timeout + ": " + line);
            }
            FaultScenario.sleep(Duration.ofMillis(100));
        }
    }

    /** Acquires {@code lock}, waiting up to {@code wait}. */
    Acquired acquire(String lock, Duration wait) {
        startAcquire(lock, wait);
        return awaitAcquired(wait.plus(FaultScenario.COMMAND_TIMEOUT));
    }

    /** Starts a writer that checks {@code isHeld()} every 5 ms and stops at the first {@code false}. */
    void use(String lock) {
        process.command("use " + lock, FaultScenario.COMMAND_TIMEOUT);
    }

    /** Releases the lease of {@code lock} acquired by command; returns the outcome. */
    ReleaseOutcome release(String lock) {
        process.command("release " + lock, FaultScenario.COMMAND_TIMEOUT);
        String prefix = "RELEASED " + lock + " ";
        List<String> released =
                process.outputLines().stream().filter(l -> l.startsWith(prefix)).toList();
        return ReleaseOutcome.valueOf(released.get(released.size() - 1).substring(prefix.length()));
    }

    /** Asks the worker to release the lease of {@code lock} acquired by command, without waiting for it. */
    void startRelease(String lock) {
        process.send("release " + lock);
    }

    /** How many lines starting with {@code prefix} the worker printed so far. */
    long lines(String prefix) {
        return process.outputLines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** Waits until the worker printed a line starting with {@code prefix}. */
    void awaitLine(String prefix, Duration timeout) {
        process.awaitOutput(l -> l.startsWith(prefix), timeout);
    }

    /** The {@code MARK} events {@code mark} of this process about {@code lock}. */
    List<FaultLogs.Event> marks(FaultLogs logs, String mark, String lock) {
        return logs.marks(mark).stream()
                .filter(e -> e.process().equals(name()) && e.field(1).equals(lock))
                .toList();
    }

    /**
     * A lease a worker acquired by command.
     *
     * @param lock the lock's name
     * @param token its fencing token
     * @param owner its owner id in Redis
     */
    record Acquired(String lock, long token, String owner) {}
}
