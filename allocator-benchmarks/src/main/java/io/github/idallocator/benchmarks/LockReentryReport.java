package io.github.idallocator.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Lock;

/**
 * Redis calls of a re-entry: a thread holds a lock and locks it again {@code n} times (default 10,000), then unlocks it
 * as often; {@code INFO commandstats} is reset before and read after, so the count is every command the server ran
 * meanwhile (the report's own {@code INFO} and {@code CONFIG RESETSTAT} aside), background work of the client
 * (renewals, subscriptions) included. The library's {@code asLock} re-enters in the JVM (expected: 0 calls), beside
 * Redisson's {@code RLock} and Spring Integration's {@code RedisLockRegistry} (default spin type), each on its own
 * client ({@link LockPeer}) against one private redis-server. The wall time per re-entry (lock+unlock) is printed too:
 * one measurement after a short warm-up, not a JMH figure.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.github.idallocator.benchmarks.LockReentryReport [n]}.
 */
public final class LockReentryReport {

    /** Re-entries before the counted run, so that the code is compiled. */
    private static final int WARM_UP = 2_000;

    /** Pause between the first lock and the counted run: the library's wake-up subscription starts meanwhile. */
    private static final long SETTLE_MILLIS = 500;

    private LockReentryReport() {}

    /** Prints the machine, then one line per implementation and a table. */
    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        MachineDescription.lines().forEach(System.out::println);
        List<String> rows = new ArrayList<>();
        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe());
            for (LockPeer peer : List.of(LockPeer.LIBRARY, LockPeer.REDISSON, LockPeer.SPRING_INTEGRATION_SPIN)) {
                try (LockPeer.Client client =
                        peer.open(redis.server().host(), redis.server().port())) {
                    System.out.println(client.describe());
                    rows.add(measure(redis, peer, client.lock("reentry-" + peer.name()), n));
                }
            }
        }
        System.out.println();
        System.out.println("| implementation | re-entries (lock+unlock) | scripts (EVALSHA, EVAL) per re-entry | Redis"
                + " commands per re-entry, those inside scripts included | commands during the run | wall time per"
                + " re-entry |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    private static String measure(BenchmarkRedis redis, LockPeer peer, Lock lock, int n) throws InterruptedException {
        lock.lock();
        try {
            reenter(lock, WARM_UP);
            Thread.sleep(SETTLE_MILLIS);
            redis.resetCommandStats();
            long start = System.nanoTime();
            reenter(lock, n);
            long nanos = System.nanoTime() - start;
            CommandStats stats = redis.commandStats();
            long calls = stats.allCalls();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %,d re-entries in %.1f ms; Redis calls meanwhile: %s%n",
                    peer.label(),
                    n,
                    nanos / 1e6,
                    stats.allCallsByCommand());
            return String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.2f | %.2f | %s | %.2f us |",
                    peer.label(),
                    n,
                    (double) (stats.calls("evalsha") + stats.calls("eval")) / n,
                    (double) calls / n,
                    stats.allCallsByCommand(),
                    nanos / 1e3 / n);
        } finally {
            lock.unlock();
        }
    }

    /** Locks {@code lock} {@code times} more times, then unlocks it as often: the outer hold stays. */
    private static void reenter(Lock lock, int times) {
        for (int i = 0; i < times; i++) {
            lock.lock();
        }
        for (int i = 0; i < times; i++) {
            lock.unlock();
        }
    }
}
