package io.github.idallocator.benchmarks;

import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library's {@code allocate()} latency at {@link RangeOccupancy#SIZE_2P10_EMPTY} and at {@link
 * RangeOccupancy#SIZE_2P24_99PCT_SCATTERED}, measured at the same time: two threads, one per allocator, both on one
 * redis-server. {@link AllocateLatencyBenchmark} measures each layout alone, one after the other, so other work on the
 * machine can load one measurement and spare the next; here both see the same machine, at the cost of two callers
 * sharing Redis and the cores. Each lease is freed outside the timed call ({@link LeaseToFree}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class AllocateLatencySideBySideBenchmark {

    /** One redis-server with both allocators. */
    @State(Scope.Group)
    public static class TwoAllocators extends ServerState {
        RedisIdAllocator small;
        RedisIdAllocator large;

        /** Starts the server and creates and fills both allocators. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            System.out.println(System.lineSeparator() + redis.describe());
            small = AllocateLatencyBenchmark.filledAllocator(redis, "small", RangeOccupancy.SIZE_2P10_EMPTY);
            large = AllocateLatencyBenchmark.filledAllocator(redis, "large", RangeOccupancy.SIZE_2P24_99PCT_SCATTERED);
        }
    }

    /** {@code allocate()} on 2^10 ids, all free. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public Lease allocateSmallEmpty(TwoAllocators allocators, LeaseToFree held) {
        return held.hold(allocators.small, allocators.small.allocate());
    }

    /** {@code allocate()} on 2^24 ids, 99% leased, free ids scattered. */
    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public Lease allocateLarge99PercentFull(TwoAllocators allocators, LeaseToFree held) {
        return held.hold(allocators.large, allocators.large.allocate());
    }
}
