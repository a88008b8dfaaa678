package io.github.idallocator.benchmarks;

import io.github.idallocator.test.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Predicate;

/**
 * Cross-process hand-off latency: this JVM holds a lock, a waiter in another JVM ({@link LockHandOffWaiter}, started
 * with {@link WorkerProcess}, on its own client and connections) blocks in {@code lock()} on it, this JVM unlocks, and
 * the sample is the time from this JVM's {@code unlock()} returning to the waiter's {@code lock()} returning, both read
 * with {@link System#nanoTime()} (the system-wide monotonic clock on Linux, so the two JVMs' readings compare). One
 * redis-server on loopback; each implementation with its defaults ({@link LockPeer}): the library's {@code asLock}
 * (waiters woken by the release's PUBLISH), Redisson's {@code RLock} (its waiter subscribes to the lock's channel),
 * Spring Integration's {@code RedisLockRegistry} in its default spin type (its waiter tries again every 100 ms, so
 * hand-offs take tens of milliseconds: it gets fewer samples).
 *
 * <p>Each sample: this JVM locks; it tells the waiter to lock; the waiter prints the time right before its {@code
 * lock()}; this JVM unlocks {@value #MIN_WAIT_MILLIS} ms plus a random 0 to {@value #SPREAD_MILLIS} ms after that time
 * (so the waiter has made its first attempt and sleeps, and a release falls anywhere in a spin waiter's 100 ms
 * period); the waiter prints the time right after its {@code lock()} returned and unlocks. The first samples of each
 * implementation are warm-up and not counted; both clients were warmed with {@value #WARM_UP_CYCLES} uncontended
 * lock+unlock cycles before. A sample is negative when this JVM's {@code unlock()} returned after the waiter's {@code
 * lock()} did (the release's PUBLISH reached the waiter before its reply reached this JVM); the report also prints the
 * hand-off counted from the {@code unlock()} call. Before the locks, it times a PING after the same idle time: on a
 * virtual machine whose idle processors are slow to wake this round trip is far above a busy one, and a hand-off
 * (a PUBLISH delivered to an idle process, then its acquire round trip) cannot beat it. Output: percentiles in
 * milliseconds per implementation, then a table.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.github.idallocator.benchmarks.LockHandOffReport [samples] [spin samples]
 * [peers]}: defaults 200 samples (20 warm-up), 20 for the spin lock (3 warm-up), peers {@code
 * LIBRARY,REDISSON,SPRING_INTEGRATION_SPIN} (also {@code SPRING_INTEGRATION_PUB_SUB}).
 */
public final class LockHandOffReport {

    /** Uncontended lock+unlock cycles each client runs before the samples, so that its code is compiled. */
    static final int WARM_UP_CYCLES = 2_000;

    /** The least time between the waiter's {@code lock()} call and the release. */
    static final long MIN_WAIT_MILLIS = 20;

    /** The random part of the time between the waiter's {@code lock()} call and the release. */
    static final long SPREAD_MILLIS = 100;

    private static final String LOCK = "hand-off";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LockHandOffReport() {}

    /** Prints the machine, then the percentiles of each implementation and a table. */
    public static void main(String[] args) throws InterruptedException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int spinSamples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<LockPeer> peers = args.length > 2
                ? Arrays.stream(args[2].split(",")).map(LockPeer::valueOf).toList()
                : List.of(LockPeer.LIBRARY, LockPeer.REDISSON, LockPeer.SPRING_INTEGRATION_SPIN);
        MachineDescription.lines().forEach(System.out::println);
        Path workers = Path.of(System.getProperty("java.io.tmpdir"), "idallocator-lock-hand-off");
        List<String> rows = new ArrayList<>();
        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe());
            rows.add(idlePing(redis, samples));
            for (LockPeer peer : peers) {
                boolean spin = peer == LockPeer.SPRING_INTEGRATION_SPIN;
                rows.add(measure(redis, peer, workers, spin ? 3 : 20, spin ? spinSamples : samples));
            }
        }
        System.out.println();
        System.out.println("| implementation | samples | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }

    /**
     * The machine's floor: one PING round trip on a plain Lettuce connection after the same idle time as a hand-off
     * (the client, its event loop and redis-server all idle for {@value #MIN_WAIT_MILLIS} to {@value #MIN_WAIT_MILLIS}
     * + {@value #SPREAD_MILLIS} ms). A hand-off is at least a PUBLISH delivered to an idle process plus one round trip.
     */
    private static String idlePing(BenchmarkRedis redis, int samples) throws InterruptedException {
        for (int i = 0; i < WARM_UP_CYCLES; i++) {
            redis.commands().ping();
        }
        long[] pings = new long[samples];
        for (int i = 0; i < samples; i++) {
            long spread = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(SPREAD_MILLIS));
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MIN_WAIT_MILLIS) + spread);
            long sent = System.nanoTime();
            redis.commands().ping();
            pings[i] = System.nanoTime() - sent;
        }
        return summary("PING after the same idle time (machine floor)", pings, 0);
    }

    /** Uncontended lock+unlock cycles on a lock of its own, so that the client's code is compiled. */
    static void warmUp(LockPeer.Client client, String name) {
        Lock lock = client.lock(name);
        for (int i = 0; i < WARM_UP_CYCLES; i++) {
            lock.lock();
            lock.unlock();
        }
    }

    private static String measure(BenchmarkRedis redis, LockPeer peer, Path workers, int warmUp, int samples)
            throws InterruptedException {
        String host = redis.server().host();
        String port = Integer.toString(redis.server().port());
        long[] handOffs = new long[samples];
        long[] fromCall = new long[samples];
        try (LockPeer.Client client = peer.open(host, redis.server().port());
                WorkerProcess waiter = WorkerProcess.builder(
                                "lock-hand-off-" + peer.name().toLowerCase(Locale.ROOT), LockHandOffWaiter.class)
                        .arguments(peer.name(), host, port)
                        .jvmOptions("-XX:TieredStopAtLevel=4", "-Xmx256m")
                        .parentDirectory(workers)
                        .start()) {
            System.out.println(client.describe() + "; waiter " + waiter + ": " + waiter.awaitReady(TIMEOUT));
            warmUp(client, "warm-up-holder");
            Lock lock = client.lock(LOCK);
            for (int i = 0; i < warmUp + samples; i++) {
                lock.lock();
                waiter.command("wait " + LOCK + " " + i, TIMEOUT);
                long waiting = nanos(waiter, "WAITING " + i + " ");
                long spread = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(SPREAD_MILLIS));
                sleepUntil(waiting + TimeUnit.MILLISECONDS.toNanos(MIN_WAIT_MILLIS) + spread);
                long unlocking = System.nanoTime();
                lock.unlock();
                long released = System.nanoTime();
                long acquired = nanos(waiter, "ACQUIRED " + i + " ");
                awaitLine(waiter, "UNLOCKED " + i + " ");
                if (i >= warmUp) {
                    handOffs[i - warmUp] = acquired - released;
                    fromCall[i - warmUp] = acquired - unlocking;
                }
            }
            waiter.stop(TIMEOUT);
        }
        summary(peer.label() + ", from the unlock() call (not from its return)", fromCall, warmUp);
        return summary(peer.label(), handOffs, warmUp);
    }

    /** Prints the percentiles of {@code nanos} and returns them as a table row (milliseconds). */
    private static String summary(String label, long[] nanos, int warmUp) {
        Arrays.sort(nanos);
        int count = nanos.length;
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        long negative = Arrays.stream(nanos).filter(h -> h < 0).count();
        System.out.printf(
                Locale.ROOT,
                "%s: %d samples (%d warm-up before), ms: min %.3f p50 %.3f p90 %.3f p99 %.3f max %.3f mean %.3f%s%n",
                label,
                count,
                warmUp,
                nanos[0] / 1e6,
                percentile(nanos, 50),
                percentile(nanos, 90),
                percentile(nanos, 99),
                nanos[count - 1] / 1e6,
                mean,
                negative == 0 ? "" : "; " + negative + " negative (the waiter's lock() returned first)");
        return String.format(
                Locale.ROOT,
                "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
                label,
                count,
                percentile(nanos, 50),
                percentile(nanos, 90),
                percentile(nanos, 99),
                nanos[count - 1] / 1e6,
                mean);
    }

    /** The nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** The time printed on the waiter's line starting with {@code prefix}. */
    private static long nanos(WorkerProcess waiter, String prefix) {
        String line = awaitLine(waiter, prefix);
        return Long.parseLong(line.substring(prefix.length()).trim());
    }

    private static String awaitLine(WorkerProcess waiter, String prefix) {
        String errorPrefix =
                "ERROR " + prefix.substring(prefix.indexOf(' ') + 1).trim() + " ";
        Predicate<String> wanted = line -> line.startsWith(prefix) || line.startsWith(errorPrefix);
        String line = waiter.awaitOutput(wanted, TIMEOUT);
        if (line.startsWith("ERROR ")) {
            throw new IllegalStateException("The waiter failed: " + line + waiter.outputTail());
        }
        return line;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
