package io.github.idallocator.benchmarks;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.sequence.SequenceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import me.ahoo.cosid.segment.SegmentChainId;
import me.ahoo.cosid.segment.concurrent.PrefetchWorkerExecutorService;
import me.ahoo.cosid.spring.redis.SpringRedisIdSegmentDistributor;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Ids reserved in Redis against ids handed out, after a long run: {@code threads} threads (default 4) take {@code
 * total / threads} ids each (default 100,000,000 in all) from one sequence, the library's {@link
 * RedisSequenceAllocator} (default {@link SequenceConfig}) and CosId's {@link SegmentChainId} (its defaults, as in
 * {@link SequenceThroughputBenchmark}), each on its own private redis-server. Then it reads how far the counter in
 * Redis has moved: the library's {@code HGET idalloc:{name}:sequence next} (and {@code reserved}) and {@code
 * stats().reserved()}; CosId's counter key ({@code GET}, offset 0). It reads again after {@value #IDLE_MILLIS} ms of
 * idleness, because CosId's prefetch workers run once per second whether or not ids are taken. The wall time of the
 * run is printed too (ids per second, one measurement, no warm-up: not a JMH figure).
 *
 * <p>Run: {@code java -cp allocator-benchmarks/target/benchmarks.jar
 * io.github.idallocator.benchmarks.SequenceWasteReport [total ids] [threads]}.
 */
public final class SequenceWasteReport {

    static final String NAME = "waste";
    static final long IDLE_MILLIS = 3000;

    private SequenceWasteReport() {}

    /** Prints the machine, then one table row per implementation and point in time. */
    public static void main(String[] args) throws InterruptedException {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long perThread = total / threads;
        long handedOut = perThread * threads;
        MachineDescription.lines().forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%,d ids on %d threads (%,d each)%n%n", handedOut, threads, perThread);
        List<String> rows = new ArrayList<>();

        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe());
            // an established sequence (born long ago): a new one would refuse new instances for its recovery period
            redis.commands().hset("idalloc:{" + NAME + "}:sequence", "born", "0");
            RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                    redis.connectionFactory(), SequenceConfig.builder(NAME).build());
            System.out.println("library: " + sequence.config());
            double seconds = run(sequence::next, threads, perThread);
            String key = "idalloc:{" + NAME + "}:sequence";
            for (String when : List.of("right after the last id", "after " + IDLE_MILLIS + " ms idle")) {
                if (!when.startsWith("right")) {
                    Thread.sleep(IDLE_MILLIS);
                }
                SequenceStats stats = sequence.stats();
                long next = Long.parseLong(redis.commands().hget(key, "next"));
                long inRedis = next - sequence.config().initialValue();
                System.out.println("library " + when + ": " + stats + "; Redis " + key + " "
                        + redis.commands().hgetall(key));
                if (stats.handedOut() != handedOut) {
                    throw new IllegalStateException(
                            "the library counted " + stats.handedOut() + " ids handed out, not " + handedOut);
                }
                rows.add(row("library", when, handedOut, inRedis, stats.reserved(), seconds));
            }
        }

        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe());
            SpringRedisIdSegmentDistributor distributor = new SpringRedisIdSegmentDistributor(
                    NAME, "sequence", new StringRedisTemplate(redis.connectionFactory()));
            SegmentChainId chain = new SegmentChainId(distributor);
            System.out.println("CosId: SegmentChainId, step " + distributor.getStep() + ", safe distance "
                    + SegmentChainId.DEFAULT_SAFE_DISTANCE + ", prefetch period "
                    + PrefetchWorkerExecutorService.DEFAULT_PREFETCH_PERIOD);
            double seconds = run(chain::generate, threads, perThread);
            for (String when : List.of("right after the last id", "after " + IDLE_MILLIS + " ms idle")) {
                if (!when.startsWith("right")) {
                    Thread.sleep(IDLE_MILLIS);
                }
                long inRedis =
                        Long.parseLong(redis.commands().get(distributor.getAdderKey())) - distributor.getOffset();
                System.out.println("CosId " + when + ": " + distributor.getAdderKey() + " = " + inRedis
                        + ", chain head " + chain.getHead());
                rows.add(row("CosId SegmentChainId", when, handedOut, inRedis, -1, seconds));
            }
            PrefetchWorkerExecutorService.DEFAULT.shutdown();
        }

        System.out.println();
        System.out.println("| sequence | read | ids handed out | reserved in Redis | reserved / handed out"
                + " | reserved by the client's own count | wall time, ids/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** Runs {@code threads} threads taking {@code perThread} ids each; returns the wall time in seconds. */
    private static double run(LongSupplier next, int threads, long perThread) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] sinks = new long[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(
                    () -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        long sink = 0;
                        for (long i = 0; i < perThread; i++) {
                            sink ^= next.getAsLong();
                        }
                        sinks[index] = sink;
                    },
                    "waste-" + t);
            worker.start();
            workers.add(worker);
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long sink = 0;
        for (long s : sinks) {
            sink ^= s;
        }
        System.out.printf(
                Locale.ROOT,
                "%,d ids in %.2f s (%,.0f ids/s; xor of all ids %d)%n",
                perThread * threads,
                seconds,
                perThread * threads / seconds,
                sink);
        return seconds;
    }

    private static String row(String sequence, String when, long handedOut, long inRedis, long ownCount, double s) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %,d | %,d | %.4f | %s | %,.0f |",
                sequence,
                when,
                handedOut,
                inRedis,
                (double) inRedis / handedOut,
                ownCount < 0 ? "-" : String.format(Locale.ROOT, "%,d", ownCount),
                handedOut / s);
    }
}
