package io.github.idallocator.benchmarks;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.ahoo.cosid.segment.IdSegmentDistributor;
import me.ahoo.cosid.segment.SegmentChainId;
import me.ahoo.cosid.segment.concurrent.PrefetchWorkerExecutorService;
import me.ahoo.cosid.spring.redis.SpringRedisIdSegmentDistributor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.redisson.Redisson;
import org.redisson.api.RIdGenerator;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Sequence ids per second, 1 and 4 threads, each implementation with its own defaults and its own private
 * redis-server:
 *
 * <ul>
 *   <li>library: {@link RedisSequenceAllocator#next()} with the default {@link SequenceConfig} (step 1000, adaptive up
 *       to 1,000,000, prefetch when 20% of a segment is left, prefetching on a shared daemon pool), on the
 *       spring-data-redis connection factory;
 *   <li>CosId 2.13.0: {@code SegmentChainId(SpringRedisIdSegmentDistributor(namespace, name, template))}, so CosId's own
 *       defaults: step {@value IdSegmentDistributor#DEFAULT_STEP}, safe distance {@value
 *       SegmentChainId#DEFAULT_SAFE_DISTANCE} (grown under load), segments that never expire, and the shared prefetch
 *       workers of {@link PrefetchWorkerExecutorService#DEFAULT} (period 1 s), on the same kind of connection factory;
 *   <li>Redisson 4.7.0: {@code RIdGenerator.nextId()} after {@code tryInit(1, 5000)} (allocation size 5000), on a
 *       Redisson client with its default single-server settings.
 * </ul>
 *
 * <p>Redisson's generator was seen to hang with 4 threads (a StackOverflowError inside its refill). So that a hang
 * cannot stall the run, its benchmarks carry a JMH {@link Timeout} (JMH interrupts the benchmark threads after it) and
 * its state a watchdog: when an iteration overruns its time by {@link RedissonIds#STALL_SECONDS} seconds, the watchdog
 * prints every thread's stack, kills the fork's redis-server and halts the fork; JMH then reports that benchmark as
 * failed and goes on with the next. The thread counts are fixed by {@link Threads}: do not pass {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SequenceThroughputBenchmark {

    /** The sequences' name. */
    static final String NAME = "benchmark";

    /** The library's sequence. */
    @State(Scope.Benchmark)
    public static class Library extends CallsServerState {
        RedisSequenceAllocator sequence;

        /** Starts the server and creates the sequence. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            // an established sequence (born long ago): a new one would refuse new instances for its recovery period
            redis.commands().hset("idalloc:{" + NAME + "}:sequence", "born", "0");
            sequence = RedisSequenceAllocator.create(
                    redis.connectionFactory(), SequenceConfig.builder(NAME).build());
            System.out.println(System.lineSeparator() + redis.describe() + "; library " + sequence.config());
        }

        @Override
        protected void closeClients() {
            System.out.println("library: " + sequence.stats() + "; in Redis: "
                    + redis.commands().hgetall("idalloc:{" + NAME + "}:sequence"));
        }
    }

    /** CosId's segment chain. */
    @State(Scope.Benchmark)
    public static class CosIdChain extends CallsServerState {
        SpringRedisIdSegmentDistributor distributor;
        SegmentChainId chain;

        /** Starts the server and creates the chain with CosId's defaults. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            distributor = new SpringRedisIdSegmentDistributor(
                    NAME, "sequence", new StringRedisTemplate(redis.connectionFactory()));
            chain = new SegmentChainId(distributor);
            System.out.println(System.lineSeparator() + redis.describe() + "; CosId SegmentChainId, step "
                    + distributor.getStep() + ", safe distance " + SegmentChainId.DEFAULT_SAFE_DISTANCE
                    + ", prefetch period " + PrefetchWorkerExecutorService.DEFAULT_PREFETCH_PERIOD + ", counter "
                    + distributor.getAdderKey());
        }

        @Override
        protected void closeClients() {
            System.out.println("CosId: counter " + distributor.getAdderKey() + " = "
                    + redis.commands().get(distributor.getAdderKey()) + ", chain head " + chain.getHead());
            PrefetchWorkerExecutorService.DEFAULT.shutdown();
        }
    }

    /** Redisson's id generator, with a watchdog against a hang. */
    @State(Scope.Benchmark)
    public static class RedissonIds extends CallsServerState {
        /** How long an iteration may overrun before the watchdog halts the fork. */
        static final long STALL_SECONDS = 90;

        RedissonClient client;
        RIdGenerator ids;
        private volatile long iterationDeadlineNanos;
        private volatile boolean closed;

        /** Starts the server, the client and the watchdog; initialises the generator (allocation size 5000). */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            Config config = new Config();
            config.useSingleServer().setAddress("redis://" + redis.server().address());
            client = Redisson.create(config);
            ids = client.getIdGenerator(NAME);
            boolean initialised = ids.tryInit(1, 5000);
            System.out.println(System.lineSeparator() + redis.describe() + "; Redisson RIdGenerator tryInit(1, 5000) = "
                    + initialised);
            Thread watchdog = new Thread(this::watch, "redisson-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        /** Arms the watchdog for this iteration. */
        @Setup(Level.Iteration)
        public void arm(IterationParams params) {
            long allowed = params.getTime().convertTo(TimeUnit.NANOSECONDS) + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
            iterationDeadlineNanos = System.nanoTime() + allowed;
        }

        /** Disarms the watchdog: the iteration ended. */
        @TearDown(Level.Iteration)
        public void disarm() {
            iterationDeadlineNanos = 0;
        }

        @Override
        protected void closeClients() {
            closed = true;
            client.shutdown();
        }

        private void watch() {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long deadline = iterationDeadlineNanos;
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    System.out.println("WATCHDOG: a Redisson iteration overran its time by " + STALL_SECONDS
                            + " s: nextId() hangs. Thread stacks:");
                    for (Map.Entry<Thread, StackTraceElement[]> e :
                            Thread.getAllStackTraces().entrySet()) {
                        System.out.println("  thread " + e.getKey().getName() + " ("
                                + e.getKey().getState() + ")");
                        StackTraceElement[] frames = e.getValue();
                        for (int i = 0; i < Math.min(frames.length, 25); i++) {
                            System.out.println("    at " + frames[i]);
                        }
                    }
                    System.out.println("WATCHDOG: killing redis-server and halting this fork");
                    System.out.flush();
                    try {
                        redis.server().kill();
                    } finally {
                        Runtime.getRuntime().halt(3);
                    }
                }
            }
        }
    }

    /**
     * The ceiling of any sequence whose ids increase across the threads of one instance: one shared {@link AtomicLong}
     * incremented per id, with no segment, no bounds check and no Redis. Both the library's and CosId's hot paths are
     * this increment plus their bookkeeping.
     */
    @State(Scope.Benchmark)
    public static class SharedCounter {
        final AtomicLong counter = new AtomicLong();
    }

    /** The ceiling, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadAtomicLong(SharedCounter shared) {
        return shared.counter.getAndIncrement();
    }

    /** The ceiling, four threads sharing the counter. */
    @Benchmark
    @Threads(4)
    public long fourThreadsAtomicLong(SharedCounter shared) {
        return shared.counter.getAndIncrement();
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadLibrary(Library library) {
        return library.sequence.next();
    }

    /** The library, four threads sharing the sequence. */
    @Benchmark
    @Threads(4)
    public long fourThreadsLibrary(Library library) {
        return library.sequence.next();
    }

    /** CosId, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadCosId(CosIdChain cosId) {
        return cosId.chain.generate();
    }

    /** CosId, four threads sharing the chain. */
    @Benchmark
    @Threads(4)
    public long fourThreadsCosId(CosIdChain cosId) {
        return cosId.chain.generate();
    }

    /** Redisson, one thread. */
    @Benchmark
    @Threads(1)
    @Timeout(time = 60)
    public long oneThreadRedisson(RedissonIds redisson) {
        return redisson.ids.nextId();
    }

    /** Redisson, four threads sharing the generator. */
    @Benchmark
    @Threads(4)
    @Timeout(time = 60)
    public long fourThreadsRedisson(RedissonIds redisson) {
        return redisson.ids.nextId();
    }
}
