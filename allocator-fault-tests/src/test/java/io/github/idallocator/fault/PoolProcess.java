package io.github.idallocator.fault;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's side of a {@link PoolWorker} driven by commands: acquire, use, renew and release resources in that process,
 * and read what it printed and logged.
 */
final class PoolProcess {

    private final WorkerProcess process;
    private int acquisitions;

    private PoolProcess(WorkerProcess process) {
        this.process = process;
    }

    /** Starts a {@link PoolWorker} named {@code name} in {@code scenario}. */
    static PoolProcess start(FaultScenario scenario, String name, List<String> arguments) {
        return new PoolProcess(scenario.start(name, PoolWorker.class, arguments));
    }

    /**
     * The arguments of a pool worker on one Redis server: the pool, how many resources it has, the lease time, and
     * {@code more} key-value pairs.
     */
    static List<String> arguments(String redisAddress, String pool, int resources, Duration leaseTime, Object... more) {
        List<String> arguments = new ArrayList<>(FaultWorker.arguments(
                "redis", redisAddress, "pool", pool, "resources", resources, "lease-ms", leaseTime.toMillis()));
        arguments.addAll(FaultWorker.arguments(more));
        return arguments;
    }

    /** The name of resource {@code n} of a worker's pool. */
    static String resource(int n) {
        return PoolWorker.RESOURCE_PREFIX + n;
    }

    /** The Redis key of the lease table of {@code pool} with the default key prefix (see lib_pool.lua). */
    static String leasesKey(String pool) {
        return "idalloc:{pool:" + pool + "}:leases";
    }

    WorkerProcess process() {
        return process;
    }

    String name() {
        return process.name();
    }

    PoolProcess awaitReady() {
        process.awaitReady(FaultScenario.PROCESS_TIMEOUT);
        return this;
    }

    /**
     * Asks the worker to acquire a resource, waiting up to {@code wait}, without waiting for the outcome; returns the
     * acquisition's number for {@link #awaitAcquired(int, Duration)}.
     */
    int startAcquire(Duration wait) {
        process.send("acquire " + wait.toMillis());
        return ++acquisitions;
    }

    /** The outcome of acquisition {@code number}: the lease, or an assertion error naming why not. */
    Acquired awaitAcquired(int number, Duration timeout) {
        String acquired = "ACQUIRED " + number + " ";
        String refused = "NOT-ACQUIRED " + number + " ";
        String line = process.awaitOutput(l -> l.startsWith(acquired) || l.startsWith(refused), timeout);
        if (!line.startsWith(acquired)) {
            throw new AssertionError(name() + " did not acquire: " + line);
        }
        String[] words = line.split(" ");
        return new Acquired(words[2], Long.parseLong(words[3]), words[4]);
    }

    /** Acquires a resource, waiting up to {@code wait}. */
    Acquired acquire(Duration wait) {
        return awaitAcquired(startAcquire(wait), wait.plus(FaultScenario.COMMAND_TIMEOUT));
    }

    /** Starts a user of {@code resource} that checks {@code isHeld()} every 5 ms and stops at the first {@code false}. */
    void use(String resource) {
        process.command("use " + resource, FaultScenario.COMMAND_TIMEOUT);
    }

    /** Renews the lease of {@code resource} acquired by command once; returns whether it was renewed. */
    boolean renew(String resource) {
        process.command("renew " + resource, FaultScenario.COMMAND_TIMEOUT);
        return Boolean.parseBoolean(after("RENEW-CALLED " + resource + " "));
    }

    /** Releases the lease of {@code resource} acquired by command; returns the outcome. */
    ReleaseOutcome release(String resource) {
        process.command("release " + resource, FaultScenario.COMMAND_TIMEOUT);
        return ReleaseOutcome.valueOf(after("RELEASED " + resource + " "));
    }

    /** How many holders Redis counts for {@code resource} now, and how many expired leases the pool collected. */
    long[] holdersAndExpired(String resource) {
        process.command("snapshot " + resource, FaultScenario.COMMAND_TIMEOUT);
        String[] words = after("RESOURCE " + resource + " ").split(" ");
        return new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])};
    }

    /** Whether the worker's pool instance is the pool's creator now (the one that runs maintenance). */
    boolean isCreator() {
        process.command("creator", FaultScenario.COMMAND_TIMEOUT);
        return Boolean.parseBoolean(after("CREATOR "));
    }

    /** Waits until the worker printed a line starting with {@code prefix}. */
    void awaitLine(String prefix, Duration timeout) {
        process.awaitOutput(l -> l.startsWith(prefix), timeout);
    }

    /** How many lines starting with {@code prefix} the worker printed so far. */
    long lines(String prefix) {
        return process.outputLines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The {@code MARK} events {@code mark} of this process about {@code resource}. */
    List<FaultLogs.Event> marks(FaultLogs logs, String mark, String resource) {
        return logs.marks(mark).stream()
                .filter(e -> e.process().equals(name()) && e.field(1).equals(resource))
                .toList();
    }

    /** What follows {@code prefix} on the last line the worker printed that starts with it. */
    private String after(String prefix) {
        List<String> lines =
                process.outputLines().stream().filter(l -> l.startsWith(prefix)).toList();
        if (lines.isEmpty()) {
            throw new AssertionError(name() + " printed no line starting with '" + prefix + "'" + process.outputTail());
        }
        return lines.get(lines.size() - 1).substring(prefix.length());
    }

    /**
     * A lease a worker acquired by command.
     *
     * @param resource the resource's name
     * @param token its fencing token
     * @param owner its owner id in Redis
     */
    record Acquired(String resource, long token, String owner) {}
}
