package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of allocate+free pairs, 1 and 4 threads: the library ({@code allocate()} then {@code free(lease)}, default
 * 5-minute lease time, no reuse delay, a range of 2^16 ids) beside the raw baseline ({@link RawBitmapAllocator}: two
 * EVALSHA round trips as well). Each benchmark runs in its own fork with its own redis-server. One operation is one
 * pair; after every iteration {@link ServerState} prints the server's time and Redis commands per pair and the
 * processor shares. The thread counts are fixed by {@link Threads}: do not pass {@code -t}. JMH runs benchmarks in
 * name order, so each library benchmark runs right before its raw baseline and both see much the same machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class AllocateFreeThroughputBenchmark {

    /** Ids in the range: far more than 4 threads ever hold at once. */
    static final long RANGE_SIZE = 1L << 16;

    /** The library's allocator on a private redis-server. */
    @State(Scope.Benchmark)
    public static class Library extends ServerState {
        RedisIdAllocator allocator;

        /** Starts the server and creates the allocator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            IdAllocatorConfig config = IdAllocatorConfig.builder("throughput", 0, RANGE_SIZE - 1)
                    .reuseDelay(Duration.ZERO)
                    .build();
            allocator = redis.allocator(config, InstanceIds.generate());
            System.out.println(System.lineSeparator() + redis.describe() + "; allocator " + allocator);
        }

        boolean allocateAndFree() {
            Lease lease = allocator.allocate();
            if (!allocator.free(lease)) {
                throw new IllegalStateException("free(" + lease + ") found no lease");
            }
            return true;
        }
    }

    /** The raw baseline on a private redis-server. */
    @State(Scope.Benchmark)
    public static class Raw extends ServerState {
        RawBitmapAllocator raw;

        /** Starts the server and loads the two scripts. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            raw = new RawBitmapAllocator(redis.commands(), "raw:{throughput}:bitmap", RANGE_SIZE);
            System.out.println(System.lineSeparator() + redis.describe() + "; raw bitmap of " + RANGE_SIZE + " ids");
        }

        long allocateAndFree() {
            long offset = raw.allocate();
            raw.free(offset);
            return offset;
        }
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public boolean oneThreadLibrary(Library library) {
        return library.allocateAndFree();
    }

    /** The library, four threads sharing the allocator (and its one Lettuce connection). */
    @Benchmark
    @Threads(4)
    public boolean fourThreadsLibrary(Library library) {
        return library.allocateAndFree();
    }

    /** The raw baseline, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadRaw(Raw raw) {
        return raw.allocateAndFree();
    }

    /** The raw baseline, four threads sharing one Lettuce connection. */
    @Benchmark
    @Threads(4)
    public long fourThreadsRaw(Raw raw) {
        return raw.allocateAndFree();
    }
}
