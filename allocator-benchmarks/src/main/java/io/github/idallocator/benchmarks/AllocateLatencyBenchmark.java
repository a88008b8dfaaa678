package io.github.idallocator.benchmarks;

import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one caller (percentiles from {@link Mode#SampleTime}) at each {@link RangeOccupancy}: the library's
 * {@code allocate()} alone (the lease is freed in a per-invocation teardown, outside the timed call), the library's
 * allocate+free pair, and the raw baseline's allocate+free pair ({@link RawBitmapAllocator}) on a bitmap with the same
 * layout. With no reuse delay the freed id is the lowest free id again, so every call finds the same free id: the
 * layout decides how far each search has to go. After every iteration {@link ServerState} prints the server's own time
 * and EVALSHA latency percentiles per operation and the processor shares.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class AllocateLatencyBenchmark {

    /** The private redis-server and the range layout under test. */
    @State(Scope.Benchmark)
    public static class Server extends ServerState {
        @Param
        RangeOccupancy occupancy;

        /** Starts the server. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            System.out.println(System.lineSeparator() + redis.describe() + "; layout " + occupancy);
        }
    }

    /** The library's allocator, filled to the layout. */
    @State(Scope.Benchmark)
    public static class Library {
        RedisIdAllocator allocator;

        /** Creates the allocator (no reuse delay) and fills it. */
        @Setup(Level.Trial)
        public void setUp(Server server) {
            allocator = filledAllocator(server.redis, "latency", server.occupancy);
        }

        boolean allocateAndFree() {
            Lease lease = allocator.allocate();
            if (!allocator.free(lease)) {
                throw new IllegalStateException("free(" + lease + ") found no lease");
            }
            return true;
        }
    }

    /** The raw baseline's bitmap with the same layout. */
    @State(Scope.Benchmark)
    public static class Raw {
        RawBitmapAllocator raw;

        /** Writes the layout's bitmap with one SET and loads the scripts. */
        @Setup(Level.Trial)
        public void setUp(Server server) {
            RangeOccupancy occupancy = server.occupancy;
            String key = "raw:{latency}:bitmap";
            try (StatefulRedisConnection<String, byte[]> bytes =
                    server.redis.client().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
                bytes.sync().set(key, occupancy.bitmap());
            }
            raw = new RawBitmapAllocator(server.redis.commands(), key, occupancy.size());
            long leased = server.redis.commands().bitcount(key);
            if (leased != occupancy.leasedCount()) {
                throw new IllegalStateException(
                        "the raw bitmap has " + leased + " bits set, the layout says " + occupancy.leasedCount());
            }
            System.out.printf(
                    Locale.ROOT,
                    "raw %s: %d of %d bits set (%.3f%% full)%n",
                    occupancy,
                    leased,
                    occupancy.size(),
                    100.0 * leased / occupancy.size());
        }

        long allocateAndFree() {
            long offset = raw.allocate();
            raw.free(offset);
            return offset;
        }
    }

    /**
     * Creates an allocator of the layout's size (no reuse delay) on the server, fills it to the layout, checks the
     * fill with {@code stats()} and prints how long the fill and the first allocate after it took.
     */
    static RedisIdAllocator filledAllocator(BenchmarkRedis redis, String name, RangeOccupancy occupancy) {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, 0, occupancy.size() - 1)
                .reuseDelay(Duration.ZERO)
                .build();
        RedisIdAllocator allocator = redis.allocator(config, InstanceIds.generate());
        long started = System.nanoTime();
        occupancy.fill(allocator);
        long filled = System.nanoTime();
        Lease first = allocator.allocate();
        long firstAllocated = System.nanoTime();
        allocator.free(first);
        AllocatorStats stats = allocator.stats();
        long expected = occupancy.leasedCount();
        if (stats.allocated() != expected) {
            throw new IllegalStateException(
                    "the fill leased " + stats.allocated() + " ids, the layout says " + expected);
        }
        System.out.printf(
                Locale.ROOT,
                "library %s: %d of %d ids leased (%.3f%% full) in %d ms; first allocate after the fill: id %d"
                        + " in %.3f ms%n",
                occupancy,
                stats.allocated(),
                stats.size(),
                100.0 * stats.allocated() / stats.size(),
                TimeUnit.NANOSECONDS.toMillis(filled - started),
                first.id(),
                (firstAllocated - filled) / 1e6);
        return allocator;
    }

    /** The library's {@code allocate()} alone; the lease is freed after the timed call. */
    @Benchmark
    public Lease allocate(Library library, LeaseToFree held) {
        return held.hold(library.allocator, library.allocator.allocate());
    }

    /** The library's {@code allocate()} then {@code free(lease)}: two round trips. */
    @Benchmark
    public boolean allocateAndFree(Library library) {
        return library.allocateAndFree();
    }

    /** The raw baseline's allocate then free: two round trips. */
    @Benchmark
    public long rawAllocateAndFree(Raw raw) {
        return raw.allocateAndFree();
    }
}
