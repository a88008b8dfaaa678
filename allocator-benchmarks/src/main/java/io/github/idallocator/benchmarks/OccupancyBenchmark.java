package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.LeasePage;
import io.github.idallocator.range.Occupancy;
import io.github.idallocator.range.RedisIdAllocator;
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
 * What a dashboard refresh costs, one caller: {@code occupancy(4096)} and {@code occupancy(65536)} (the most cells;
 * the worst case of each precision: 2^16 ids exact, 2^18 ids counted in 32,768 one-byte cells, 2^32 ids summed from
 * the full-block summary in 65,536 two-byte cells), and one page of {@code allocatedIds(cursor, 50)}, on ranges of
 * 2^16, 2^18, 2^24 and 2^32 ids, each half filled by {@value #LEASES} range leases that never expire: the range is cut
 * into {@value #LEASES} equal stripes and the first half of each is one lease ({@code reserveRange}). Leases of 4096
 * ids or more (2^24 and 2^32 ids) mark the blocks they cover full; below, no block is full. After every iteration the
 * server's time and commands per call are printed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class OccupancyBenchmark {

    /** Range leases per range; the stripes are {@code size / LEASES} ids. */
    static final int LEASES = 4096;

    /** The private redis-server and the half-filled allocator. */
    @State(Scope.Benchmark)
    public static class Server extends ServerState {
        /** log2 of the range's size. */
        @Param({"16", "18", "24", "32"})
        int log2Size;

        RedisIdAllocator allocator;

        /** Starts the server, creates the allocator and fills every stripe's first half. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            long size = 1L << log2Size;
            allocator = redis.allocator(
                    IdAllocatorConfig.builder("occupancy", 0, size - 1)
                            .reuseDelay(Duration.ZERO)
                            .build(),
                    "benchmark");
            long stripe = size / LEASES;
            long started = System.nanoTime();
            for (int i = 0; i < LEASES; i++) {
                long first = i * stripe;
                if (allocator
                        .reserveRange(first, first + stripe / 2 - 1, IdAllocator.NO_EXPIRY)
                        .isEmpty()) {
                    throw new IllegalStateException("could not reserve the first half of stripe " + i);
                }
            }
            long allocated = allocator.stats().allocated();
            if (allocated != size / 2) {
                throw new IllegalStateException("stats() says " + allocated + " ids are allocated, not " + size / 2);
            }
            Occupancy picture = allocator.occupancy(4096);
            System.out.printf(
                    Locale.ROOT,
                    "%n%s; 2^%d ids, %d leases of %d ids filled in %d ms; occupancy(4096): %s, sum %d%n",
                    redis.describe(),
                    log2Size,
                    LEASES,
                    stripe / 2,
                    (System.nanoTime() - started) / 1_000_000,
                    picture,
                    java.util.Arrays.stream(picture.takenCells()).asLongStream().sum());
        }

        @Override
        protected String iterationSummary(CommandStats stats) {
            return stats.summary(1);
        }

        @Override
        protected String trialSummary(CommandStats stats) {
            return stats.commandsPerOperation(1);
        }
    }

    /** The cursor of the second page of leases, so that the page read is one in the middle of a walk. */
    @State(Scope.Benchmark)
    public static class Cursor {
        String cursor;

        /** Reads the first page. */
        @Setup(Level.Trial)
        public void setUp(Server server) {
            cursor = server.allocator.allocatedIds(LeasePage.START, 50).nextCursor();
        }
    }

    /** A picture of at most 4096 cells. */
    @Benchmark
    public Occupancy occupancy4096(Server server) {
        return server.allocator.occupancy(4096);
    }

    /** A picture of at most 65,536 cells, the most accepted. */
    @Benchmark
    public Occupancy occupancy65536(Server server) {
        return server.allocator.occupancy(65_536);
    }

    /** One page of leases, 50 asked for. */
    @Benchmark
    public LeasePage allocatedIdsPage50(Server server, Cursor cursor) {
        return server.allocator.allocatedIds(cursor.cursor, 50);
    }
}
