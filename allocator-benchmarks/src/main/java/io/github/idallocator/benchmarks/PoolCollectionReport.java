package io.github.idallocator.benchmarks;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the pool's garbage collection costs in proportion to the expired leases, not to the pool: the Redis side of
 * the creator's maintenance script ({@code maintain.lua}, sent by EVALSHA with the creator's arguments through {@link
 * RawPoolScripts}) with k expired leases, in exclusive pools of 10 and 5,000 resources, the larger one also with 2,500
 * live leases beside the expired ones. A round acquires k leases through the library ({@code autoRenew(false)}, the
 * shortest lease time, {@value PoolConfig#MIN_LEASE_MILLIS} ms) and never releases them, as holders that crashed;
 * waits until Redis's clock has passed their expiry; resets {@code INFO commandstats}; runs the script until it has
 * collected all k (it collects at most 100 leases a run, so k = 1,000 takes 10 runs) and reads the counters: the
 * commands the script ran and the microseconds Redis spent in it. The pools' own maintenance is set to run once an
 * hour, so only these runs collect. The report also prints the Redis side of one acquire+release in each pool.
 * Command counts do not depend on the machine; the microseconds are averages over the rounds (default 20), indicative
 * only: the JMH benchmarks are the speed figures.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.github.idallocator.benchmarks.PoolCollectionReport [rounds]}.
 */
public final class PoolCollectionReport {

    /** The leases of the crashed holders: the shortest lease time, never renewed. */
    private static final AcquireOptions SHORT_UNRENEWED = AcquireOptions.defaults()
            .leaseTime(Duration.ofMillis(PoolConfig.MIN_LEASE_MILLIS))
            .autoRenew(false);

    /** Live leases: an hour, never renewed, so they send nothing during the report. */
    private static final AcquireOptions HOUR_UNRENEWED =
            AcquireOptions.defaults().leaseTime(Duration.ofHours(1)).autoRenew(false);

    /** Wait after the last short lease was granted, so that Redis's clock has passed every expiry. */
    private static final long EXPIRY_WAIT_MILLIS = PoolConfig.MIN_LEASE_MILLIS + 30;

    private static final int WARM_UP_PAIRS = 500;
    private static final int PAIRS = 2_000;

    /** A pool measured: its resources, the live leases held meanwhile and the expired-lease counts k. */
    private record Layout(int resources, int live, int... expired) {}

    private static final List<Layout> LAYOUTS = List.of(
            new Layout(10, 0, 0, 1, 10),
            new Layout(5_000, 0, 0, 1, 10, 100),
            new Layout(5_000, 2_500, 0, 1, 10, 100, 1_000));

    private PoolCollectionReport() {}

    /** Prints the machine and the server, a line per measurement, then the tables. */
    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // the short leases end unreleased on purpose: their loss is expected, not worth a warning each
        System.setProperty("org.slf4j.simpleLogger.log." + RedisResourcePool.class.getName(), "error");
        MachineDescription.lines().forEach(System.out::println);
        List<String> collections = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe() + "; " + rounds + " rounds per expired-lease count");
            for (Layout layout : LAYOUTS) {
                measure(redis, layout, rounds, collections, pairs);
            }
        }
        System.out.println();
        System.out.println("| resources | live leases | expired leases k | maintenance runs | Redis commands per run,"
                + " inside the script | Redis commands per expired lease, above k = 0 | server us per run | server us"
                + " per round / k |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        collections.forEach(System.out::println);
        System.out.println();
        System.out.println("| resources | live leases | acquire+release pairs | Redis commands per pair, the 2 EVALSHA"
                + " included | server us per pair |");
        System.out.println("| --- | --- | --- | --- | --- |");
        pairs.forEach(System.out::println);
    }

    private static void measure(
            BenchmarkRedis redis, Layout layout, int rounds, List<String> collections, List<String> pairs)
            throws InterruptedException {
        PoolConfig config = PoolConfig.builder("collection-" + layout.resources() + "-" + layout.live())
                .maintenanceInterval(Duration.ofHours(1))
                .build();
        try (RedisResourcePool pool = RedisResourcePool.createOrAttach(
                redis.connectionFactory(), config, "collection-report-" + layout.resources())) {
            PoolThroughputBenchmark.addResources(pool, layout.resources());
            for (int i = 0; i < layout.live(); i++) {
                pool.tryAcquire(HOUR_UNRENEWED).orElseThrow(() -> new IllegalStateException("live lease refused"));
            }
            RawPoolScripts scripts = new RawPoolScripts(redis.commands(), config);
            scripts.requireLayout(layout.resources());
            pairs.add(pairCost(redis, pool, layout));
            double baseCommands = 0;
            for (int k : layout.expired()) {
                long runs = 0;
                long micros = 0;
                long commands = 0;
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < k; i++) {
                        pool.tryAcquire(SHORT_UNRENEWED)
                                .orElseThrow(() -> new IllegalStateException("short lease refused"));
                    }
                    Thread.sleep(EXPIRY_WAIT_MILLIS);
                    redis.resetCommandStats();
                    long collected = 0;
                    int roundRuns = 0;
                    do {
                        List<Object> reply = scripts.maintain();
                        collected += (Long) reply.get(0);
                        roundRuns++;
                    } while (collected < k && roundRuns <= k / 100 + 1);
                    CommandStats stats = redis.commandStats();
                    if (collected != k || stats.calls("evalsha") != roundRuns) {
                        throw new IllegalStateException("round with k=" + k + " collected " + collected + " in "
                                + roundRuns + " runs, server counted " + stats.allCallsByCommand());
                    }
                    runs += roundRuns;
                    micros += stats.micros("evalsha");
                    commands += stats.allCalls() - stats.calls("evalsha");
                }
                double commandsPerRun = (double) commands / runs;
                double runsPerRound = (double) runs / rounds;
                if (k == 0) {
                    baseCommands = commandsPerRun;
                }
                // the commands of a round beyond what its runs cost with nothing to collect, per lease collected
                double commandsPerLease = ((double) commands / rounds - baseCommands * runsPerRound) / k;
                System.out.printf(
                        Locale.ROOT,
                        "%d resources, %d live leases, k=%d: %d runs in %d rounds, %.1f commands and %.1f us per"
                                + " run%n",
                        layout.resources(),
                        layout.live(),
                        k,
                        runs,
                        rounds,
                        commandsPerRun,
                        (double) micros / runs);
                collections.add(String.format(
                        Locale.ROOT,
                        "| %,d | %,d | %,d | %.0f per round | %.1f | %s | %.1f | %s |",
                        layout.resources(),
                        layout.live(),
                        k,
                        runsPerRound,
                        commandsPerRun,
                        k == 0 ? "-" : String.format(Locale.ROOT, "%.2f", commandsPerLease),
                        (double) micros / runs,
                        k == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) micros / rounds / k)));
            }
        }
    }

    /** The Redis side of one acquire+release through the library in this pool. */
    private static String pairCost(BenchmarkRedis redis, RedisResourcePool pool, Layout layout) {
        for (int i = 0; i < WARM_UP_PAIRS; i++) {
            acquireAndRelease(pool);
        }
        redis.resetCommandStats();
        for (int i = 0; i < PAIRS; i++) {
            acquireAndRelease(pool);
        }
        CommandStats stats = redis.commandStats();
        System.out.printf(
                Locale.ROOT,
                "%d resources, %d live leases: %d acquire+release, server calls %s%n",
                layout.resources(),
                layout.live(),
                PAIRS,
                stats.allCallsByCommand());
        return String.format(
                Locale.ROOT,
                "| %,d | %,d | %,d | %.2f | %.1f |",
                layout.resources(),
                layout.live(),
                PAIRS,
                (double) stats.allCalls() / PAIRS,
                (double) stats.micros("evalsha") / PAIRS);
    }

    private static void acquireAndRelease(RedisResourcePool pool) {
        ResourceLease lease = pool.tryAcquire().orElseThrow(() -> new IllegalStateException("pair refused"));
        if (lease.release() != ReleaseOutcome.RELEASED) {
            throw new IllegalStateException("release of " + lease + " failed");
        }
    }
}
