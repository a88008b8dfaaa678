package io.github.idallocator.benchmarks;

import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Redis memory per live lease, computed on a private redis-server: all keys of the allocator (found with {@code KEYS
 * <prefix>:{<name>}:*} on the otherwise empty server) after {@code n} single-id leases
 * (with a lease time, so the deadlines set is filled, and without expiry), beside a baseline that stores the same facts
 * as one Redis string per lease ({@code owner|token}, with {@code PX} for the lease time). Two figures each: the sum of
 * {@code MEMORY USAGE ... SAMPLES 0} over the keys, and the growth of {@code used_memory} (which also counts Redis's
 * key and expiry dictionaries). Prints the machine and the Redis version first.
 *
 * <p>Run: {@code java -cp allocator-benchmarks/target/benchmarks.jar io.github.idallocator.benchmarks.LeaseMemoryReport
 * [lease counts...]} (default 10000 100000).
 */
public final class LeaseMemoryReport {

    /**
     * The instance id every lease stores: the shape of {@code InstanceIds.generate()} in a Kubernetes pod ({@code
     * <pod name>-<pid>-<8 hex digits>}), fixed so runs on different hosts store the same bytes.
     */
    static final String OWNER = "orders-7d9f8b6c5d-x2x7k-1-0a1b2c3d";

    private static final String NAME = "memory";
    private static final long RANGE_SIZE = 1L << 20;
    private static final int BATCH = 1000;
    private static final Duration LEASE_TIME = Duration.ofHours(1);

    private LeaseMemoryReport() {}

    /** Prints the machine, the server and one table row per lease count, lease time and layout. */
    public static void main(String[] args) {
        List<Integer> counts = new ArrayList<>();
        for (String arg : args) {
            counts.add(Integer.parseInt(arg));
        }
        if (counts.isEmpty()) {
            counts = List.of(10_000, 100_000);
        }
        MachineDescription.lines().forEach(System.out::println);
        try (BenchmarkRedis redis = BenchmarkRedis.start()) {
            System.out.println(redis.describe());
            System.out.println("allocator keys: "
                    + KeyNames.of(IdAllocatorConfig.DEFAULT_KEY_PREFIX, NAME).key("*")
                    + "; range: " + RANGE_SIZE + " ids; owner id: " + OWNER.length()
                    + " characters; lease time: " + LEASE_TIME + " or none");
            System.out.println();
            System.out.println("| store | live leases | lease time | MEMORY USAGE sum (bytes) | per lease"
                    + " | used_memory growth (bytes) | per lease |");
            System.out.println("|---|---|---|---|---|---|---|");
            List<String> breakdowns = new ArrayList<>();
            for (int count : counts) {
                for (Duration leaseTime : List.of(LEASE_TIME, IdAllocator.NO_EXPIRY)) {
                    breakdowns.add(measureAllocator(redis, count, leaseTime));
                    measureKeyPerLease(redis, count, leaseTime);
                }
            }
            System.out.println();
            System.out.println("MEMORY USAGE per key of the allocator:");
            breakdowns.forEach(System.out::println);
        }
    }

    private static String measureAllocator(BenchmarkRedis redis, int count, Duration leaseTime) {
        redis.server().flushAll();
        IdAllocatorConfig config = IdAllocatorConfig.builder(NAME, 0, RANGE_SIZE - 1)
                .reuseDelay(Duration.ZERO)
                .build();
        RedisIdAllocator allocator = redis.allocator(config, OWNER);
        allocator.free(allocator.allocate(leaseTime));
        long before = redis.usedMemory();
        int leased = 0;
        while (leased < count) {
            leased += allocator
                    .allocate(Math.min(BATCH, count - leased), leaseTime)
                    .size();
        }
        long after = redis.usedMemory();
        long leases = allocator.stats().leases();
        if (leases != count) {
            throw new IllegalStateException("the allocator holds " + leases + " leases, not " + count);
        }
        String keyPattern = KeyNames.of(config.keyPrefix(), NAME).key("*");
        List<String> keys = new ArrayList<>(redis.commands().keys(keyPattern));
        Collections.sort(keys);
        long total = 0;
        StringBuilder breakdown = new StringBuilder();
        breakdown.append(String.format(Locale.ROOT, "  %,d leases, %s:", count, describe(leaseTime)));
        for (String key : keys) {
            long bytes = redis.memoryUsage(key);
            total += bytes;
            breakdown
                    .append(' ')
                    .append(key.substring(key.lastIndexOf(':') + 1))
                    .append('=')
                    .append(bytes);
        }
        printRow("allocator (its " + keys.size() + " keys)", count, leaseTime, total, after - before);
        return breakdown.toString();
    }

    private static void measureKeyPerLease(BenchmarkRedis redis, int count, Duration leaseTime) {
        redis.server().flushAll();
        RedisAsyncCommands<String, String> async = redis.connection().async();
        long before = redis.usedMemory();
        List<RedisFuture<?>> replies = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            String value = OWNER + "|" + (id + 1);
            replies.add(
                    leaseTime.equals(IdAllocator.NO_EXPIRY)
                            ? async.set(key(id), value)
                            : async.set(key(id), value, SetArgs.Builder.px(leaseTime.toMillis())));
        }
        awaitAll(replies);
        long after = redis.usedMemory();
        List<RedisFuture<Long>> sizes = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            sizes.add(async.memoryUsage(key(id)));
        }
        awaitAll(new ArrayList<>(sizes));
        long total = 0;
        for (RedisFuture<Long> size : sizes) {
            total += size.toCompletableFuture().join();
        }
        printRow("baseline: one string key per lease", count, leaseTime, total, after - before);
    }

    private static String key(int id) {
        return "idalloc:{" + NAME + "}:lease:" + id;
    }

    private static void awaitAll(List<RedisFuture<?>> replies) {
        if (!LettuceFutures.awaitAll(5, TimeUnit.MINUTES, replies.toArray(new RedisFuture<?>[0]))) {
            throw new IllegalStateException("Redis did not answer " + replies.size() + " commands in 5 minutes");
        }
    }

    private static void printRow(String store, int count, Duration leaseTime, long keyBytes, long usedMemoryGrowth) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %,d | %s | %,d | %.1f | %,d | %.1f |%n",
                store,
                count,
                describe(leaseTime),
                keyBytes,
                (double) keyBytes / count,
                usedMemoryGrowth,
                (double) usedMemoryGrowth / count);
    }

    private static String describe(Duration leaseTime) {
        return leaseTime.equals(IdAllocator.NO_EXPIRY) ? "none" : leaseTime.toString();
    }
}
