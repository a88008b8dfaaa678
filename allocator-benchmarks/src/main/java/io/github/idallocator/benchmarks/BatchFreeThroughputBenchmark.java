package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ids per second through a whole lease cycle, one thread: {@value #BATCH} ids leased and ended one at a time ({@code
 * allocate()} then {@code free(lease)}, 2 round trips per id) beside the batch path ({@code allocate(100)} then {@code
 * free(leases)}, 2 round trips per {@value #BATCH} ids). The score is ids per second (JMH counts {@value #BATCH}
 * operations per invocation). Each benchmark runs in its own fork with its own redis-server; after each iteration the
 * server's calls and their cost are printed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class BatchFreeThroughputBenchmark {

    /** Ids per invocation, in both paths. */
    static final int BATCH = 100;

    /**
     * The library's allocator on a private redis-server: 2^16 ids, no reuse delay. The two paths differ in script calls
     * per id, so the server's side is printed as every command's calls and cost.
     */
    @State(Scope.Benchmark)
    public static class Library extends CallsServerState {
        RedisIdAllocator allocator;

        /** Starts the server and creates the allocator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            IdAllocatorConfig config = IdAllocatorConfig.builder("batch", 0, (1L << 16) - 1)
                    .reuseDelay(Duration.ZERO)
                    .build();
            allocator = redis.allocator(config, InstanceIds.generate());
            System.out.println(System.lineSeparator() + redis.describe() + "; allocator " + allocator);
        }
    }

    /** {@value #BATCH} ids, each leased and ended in its own round trips. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int perId(Library library) {
        int freed = 0;
        for (int i = 0; i < BATCH; i++) {
            Lease lease = library.allocator.allocate();
            if (library.allocator.free(lease)) {
                freed++;
            }
        }
        return requireAll(freed);
    }

    /** {@value #BATCH} ids leased in one round trip and ended in one. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batch(Library library) {
        List<Lease> leases = library.allocator.allocate(BATCH);
        return requireAll(library.allocator.free(leases));
    }

    private static int requireAll(int freed) {
        if (freed != BATCH) {
            throw new IllegalStateException("ended " + freed + " of " + BATCH + " leases");
        }
        return freed;
    }
}
