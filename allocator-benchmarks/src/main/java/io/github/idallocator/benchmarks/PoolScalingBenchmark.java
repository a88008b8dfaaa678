package io.github.idallocator.benchmarks;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import java.time.Duration;
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
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Whether acquire+release costs more in a large pool: the library's {@code tryAcquire()} then {@code release()}, one
 * thread, in an exclusive pool of 10 or 5,000 resources ({@code resources}), with none or half of them held meanwhile
 * by another pool instance on a connection of its own ({@code heldPercent}: its leases last an hour and are not
 * renewed, so it sends nothing during the run). The target: at 5,000 resources at most twice the cost at 10.
 * Every acquisition takes the least recently released free resource, so the measured thread cycles through all free
 * resources of the pool. Besides the score, every iteration prints the server's calls per acquire+release with its
 * microseconds per EVALSHA ({@link PoolServerState}): the cost inside Redis, apart from the round trips.
 *
 * <p>Both modes by default; pass {@code -bm thrpt -tu s} or {@code -bm sample -tu us} to run one, {@code -p
 * resources=5000} for one size.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class PoolScalingBenchmark {

    /** An exclusive pool of {@code resources} resources, {@code heldPercent} of them held by another instance. */
    @State(Scope.Benchmark)
    public static class SizedPool extends PoolServerState {

        /** Resources in the pool. */
        @Param({"10", "5000"})
        public int resources;

        /** Share of the resources another pool instance holds during the run, in percent. */
        @Param({"0", "50"})
        public int heldPercent;

        RedisResourcePool pool;
        private LettuceConnectionFactory otherConnection;
        private RedisResourcePool otherHolders;

        /** Starts the server, creates the pool, adds its resources and lets the other instance take its share. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            PoolConfig config = PoolConfig.builder("pool-scaling").build();
            pool = RedisResourcePool.createOrAttach(redis.connectionFactory(), config, "pool-scaling-measured");
            long start = System.nanoTime();
            PoolThroughputBenchmark.addResources(pool, resources);
            long addNanos = System.nanoTime() - start;
            otherConnection = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                    redis.server().host(), redis.server().port()));
            otherConnection.afterPropertiesSet();
            otherConnection.start();
            otherHolders = RedisResourcePool.createOrAttach(otherConnection, config, "pool-scaling-other-holders");
            AcquireOptions hourLong =
                    AcquireOptions.defaults().leaseTime(Duration.ofHours(1)).autoRenew(false);
            int held = resources * heldPercent / 100;
            for (int i = 0; i < held; i++) {
                otherHolders
                        .tryAcquire(hourLong)
                        .orElseThrow(() -> new IllegalStateException("the other holders were refused"));
            }
            PoolSnapshot.Totals totals = pool.snapshot(null, 1).totals();
            System.out.printf(
                    "%n%s; library %s; %d resources added in %.1f s, %d held by another instance; totals %s%n",
                    redis.describe(), config, resources, addNanos / 1e9, held, totals);
        }

        String tryAcquireAndRelease() {
            ResourceLease lease =
                    pool.tryAcquire().orElseThrow(() -> new IllegalStateException("pool " + pool.name() + " refused"));
            ReleaseOutcome outcome = lease.release();
            if (outcome != ReleaseOutcome.RELEASED) {
                throw new IllegalStateException("release of " + lease + ": " + outcome);
            }
            counted();
            return lease.resource();
        }

        @Override
        protected void closeClients() {
            try {
                pool.close();
                otherHolders.close();
            } finally {
                otherConnection.destroy();
            }
        }
    }

    /** One thread acquires and releases. */
    @Benchmark
    @Threads(1)
    public String oneThread(SizedPool pool) {
        return pool.tryAcquireAndRelease();
    }
}
