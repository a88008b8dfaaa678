package io.github.idallocator.benchmarks;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.redisson.Redisson;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Uncontended acquire+release, 1 and 4 threads, on a pool of {@value #RESOURCES} resources (or permits), so that no
 * thread ever waits or is refused; each implementation with its defaults on its own client and its own private
 * redis-server (the same binary):
 *
 * <ul>
 *   <li>library: {@link RedisResourcePool} in exclusive mode with the default {@link PoolConfig} (30 s lease renewed
 *       in the background), {@code tryAcquire()} (one attempt) then {@code release()}; on the spring-data-redis
 *       connection factory of {@link BenchmarkRedis};
 *   <li>Redisson 4.7.0: {@code RPermitExpirableSemaphore} with {@value #RESOURCES} permits, {@code tryAcquire(0, 30 s)}
 *       (no wait, a 30 s lease, which Redisson does not renew) then {@code release(permitId)}; a permit has an id and
 *       an expiry but no name, owner or fencing token;
 *   <li>raw floor: the library's own {@code acquire.lua} and {@code release.lua} by EVALSHA on a plain Lettuce
 *       connection ({@link RawPoolScripts}), two round trips without the library's client side.
 * </ul>
 *
 * <p>Both modes by default: throughput and sample time (p50 among its percentiles). Pass {@code -bm thrpt -tu s} or
 * {@code -bm sample -tu us} to run one mode in a readable unit. After every iteration the state prints the server's
 * calls per acquire+release ({@link PoolServerState}) and the processor shares. The thread counts are fixed by {@link
 * Threads}: do not pass {@code -t}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class PoolThroughputBenchmark {

    /** The pool's (and the semaphore's) name. */
    static final String NAME = "pool-benchmark";

    /** Resources in the pool, permits of the semaphore: far more than the threads, so nobody is ever refused. */
    static final int RESOURCES = 64;

    /** Adds {@code count} resources named {@code resource-0000} and up, priority 0, no metadata. */
    static void addResources(RedisResourcePool pool, int count) {
        for (int i = 0; i < count; i++) {
            pool.add(String.format(Locale.ROOT, "resource-%04d", i));
        }
    }

    /** A benchmark thread's owner ids for the raw scripts (unique per acquisition, as the library's). */
    @State(Scope.Thread)
    public static class ThreadOwner {
        private static final AtomicInteger THREADS = new AtomicInteger();

        private final String prefix = "raw-thread-" + THREADS.incrementAndGet() + ":";
        private long acquisitions;

        String next() {
            return prefix + ++acquisitions;
        }
    }

    /** The library's pool on the connection factory of its own redis-server. */
    @State(Scope.Benchmark)
    public static class Library extends PoolServerState {
        RedisResourcePool pool;

        /** Starts the server, creates the pool and adds its resources. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            pool = RedisResourcePool.createOrAttach(
                    redis.connectionFactory(), PoolConfig.builder(NAME).build(), "pool-benchmark-library");
            addResources(pool, RESOURCES);
            System.out.println(System.lineSeparator() + redis.describe() + "; library " + pool.config() + ", "
                    + RESOURCES + " resources");
        }

        String tryAcquireAndRelease() {
            ResourceLease lease =
                    pool.tryAcquire().orElseThrow(() -> new IllegalStateException("pool " + NAME + " refused"));
            ReleaseOutcome outcome = lease.release();
            if (outcome != ReleaseOutcome.RELEASED) {
                throw new IllegalStateException("release of " + lease + ": " + outcome);
            }
            counted();
            return lease.resource();
        }

        @Override
        protected void closeClients() {
            pool.close();
        }
    }

    /** Redisson's {@code RPermitExpirableSemaphore} on a Redisson client of its own. */
    @State(Scope.Benchmark)
    public static class RedissonSemaphore extends PoolServerState {
        /** The permits' lease: the library's default lease time. */
        static final long LEASE_MILLIS = PoolConfig.DEFAULT_LEASE_TIME.toMillis();

        RedissonClient client;
        RPermitExpirableSemaphore semaphore;

        /** Starts the server, opens the client and sets the permits. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            Config config = new Config();
            config.useSingleServer()
                    .setAddress("redis://" + redis.server().host() + ":"
                            + redis.server().port());
            client = Redisson.create(config);
            semaphore = client.getPermitExpirableSemaphore(NAME);
            if (!semaphore.trySetPermits(RESOURCES)) {
                throw new IllegalStateException("semaphore " + NAME + " already had permits");
            }
            System.out.println(System.lineSeparator() + redis.describe() + "; Redisson RPermitExpirableSemaphore, "
                    + RESOURCES + " permits, tryAcquire(0, " + LEASE_MILLIS + " ms)");
        }

        String tryAcquireAndRelease() throws InterruptedException {
            String permit = semaphore.tryAcquire(0, LEASE_MILLIS, TimeUnit.MILLISECONDS);
            if (permit == null) {
                throw new IllegalStateException("semaphore " + NAME + " refused");
            }
            semaphore.release(permit);
            counted();
            return permit;
        }

        @Override
        protected void closeClients() {
            client.shutdown();
        }
    }

    /** The library's acquire and release scripts on a plain Lettuce connection: the floor of two EVALSHA. */
    @State(Scope.Benchmark)
    public static class RawScripts extends PoolServerState {
        RawPoolScripts scripts;
        long leaseMillis;

        /** Starts the server, creates the pool through the library (then closes it) and loads the scripts. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            PoolConfig config = PoolConfig.builder(NAME).build();
            try (RedisResourcePool pool =
                    RedisResourcePool.createOrAttach(redis.connectionFactory(), config, "pool-benchmark-raw")) {
                addResources(pool, RESOURCES);
            }
            scripts = new RawPoolScripts(redis.commands(), config);
            scripts.requireLayout(RESOURCES);
            leaseMillis = config.leaseTime().toMillis();
            System.out.println(System.lineSeparator() + redis.describe()
                    + "; raw: the library's pool acquire.lua and release.lua by EVALSHA on plain Lettuce, "
                    + RESOURCES + " resources");
        }

        String acquireAndRelease(ThreadOwner owner) {
            RawPoolScripts.Grant grant = scripts.acquire(owner.next(), leaseMillis);
            scripts.release(grant);
            counted();
            return grant.resource();
        }
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public String oneThreadLibrary(Library library) {
        return library.tryAcquireAndRelease();
    }

    /** The library, four threads sharing the pool instance. */
    @Benchmark
    @Threads(4)
    public String fourThreadsLibrary(Library library) {
        return library.tryAcquireAndRelease();
    }

    /** Redisson's semaphore, one thread. */
    @Benchmark
    @Threads(1)
    public String oneThreadRedisson(RedissonSemaphore redisson) throws InterruptedException {
        return redisson.tryAcquireAndRelease();
    }

    /** Redisson's semaphore, four threads sharing the client. */
    @Benchmark
    @Threads(4)
    public String fourThreadsRedisson(RedissonSemaphore redisson) throws InterruptedException {
        return redisson.tryAcquireAndRelease();
    }

    /** The raw floor, one thread. */
    @Benchmark
    @Threads(1)
    public String oneThreadRawScripts(RawScripts raw, ThreadOwner owner) {
        return raw.acquireAndRelease(owner);
    }

    /** The raw floor, four threads sharing one Lettuce connection. */
    @Benchmark
    @Threads(4)
    public String fourThreadsRawScripts(RawScripts raw, ThreadOwner owner) {
        return raw.acquireAndRelease(owner);
    }
}
