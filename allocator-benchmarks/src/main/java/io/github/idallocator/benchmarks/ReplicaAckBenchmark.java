package io.github.idallocator.benchmarks;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
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
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;

/**
 * What replica acknowledgement costs: allocate+free pairs per second, one thread, against a primary with one replica on
 * the same machine. {@code acks=0} sends no WAIT (the replica is attached all the same); {@code acks=1} confirms the
 * allocation with {@code WAIT 1 1000} on a connection that may block: with the connection factory's defaults a new
 * dedicated Lettuce connection per call ({@code pooled=false}), or one from a Lettuce connection pool
 * ({@code pooled=true}). The free is not confirmed. Each parameter combination runs in its own fork with its own two
 * redis-servers; after every iteration {@link ServerState} prints the primary's time and commands per pair.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ReplicaAckBenchmark {

    /** Ids in the range: far more than one thread ever holds at once. */
    static final long RANGE_SIZE = 1L << 16;

    /** A primary, a replica that follows it, and the allocator on the primary. */
    @State(Scope.Benchmark)
    public static class Replicated extends ServerState {

        /** Replicas that must confirm each allocation: 0 (no WAIT) or 1. */
        @Param({"0", "1"})
        public int acks;

        /** Whether the allocator's connection factory pools Lettuce connections (commons-pool2). */
        @Param({"false", "true"})
        public boolean pooled;

        RedisServerProcess replica;
        LettuceConnectionFactory pool;
        RedisIdAllocator allocator;

        /** Starts both servers, waits until the replica follows, and creates the allocator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start("--repl-diskless-sync-delay", "0");
            RedisServerProcess primary = redis.server();
            replica = RedisServerProcess.start("--replicaof", primary.host(), Integer.toString(primary.port()));
            awaitReplicaAcknowledged(primary);
            IdAllocatorConfig config = IdAllocatorConfig.builder("replica-acks", 0, RANGE_SIZE - 1)
                    .reuseDelay(Duration.ZERO)
                    .replicaAcks(acks)
                    .replicaAckTimeout(Duration.ofSeconds(1))
                    .build();
            if (pooled) {
                pool = new LettuceConnectionFactory(
                        new RedisStandaloneConfiguration(primary.host(), primary.port()),
                        LettucePoolingClientConfiguration.builder()
                                .poolConfig(new GenericObjectPoolConfig<>())
                                .build());
                pool.afterPropertiesSet();
                pool.start();
                allocator = RedisIdAllocator.createOrAttach(pool, config, InstanceIds.generate());
            } else {
                allocator = redis.allocator(config, InstanceIds.generate());
            }
            System.out.println(System.lineSeparator() + redis.describe() + " with a replica at " + replica.address()
                    + "; replicaAcks " + acks + (pooled ? ", pooled Lettuce connections" : ", factory defaults"));
        }

        boolean allocateAndFree() {
            Lease lease = allocator.allocate();
            if (!allocator.free(lease)) {
                throw new IllegalStateException("free(" + lease + ") found no lease");
            }
            return true;
        }

        @Override
        protected void closeClients() {
            try {
                if (pool != null) {
                    pool.destroy();
                }
            } finally {
                replica.close();
            }
        }

        private static void awaitReplicaAcknowledged(RedisServerProcess primary) {
            primary.command("SET", "replica-ready", "1");
            Pattern written = Pattern.compile("master_repl_offset:(\\d+)");
            Pattern acknowledged = Pattern.compile("slave0:.*state=online,offset=(\\d+)");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() - deadline < 0) {
                String info = String.valueOf(primary.command("INFO", "replication"));
                Matcher w = written.matcher(info);
                Matcher a = acknowledged.matcher(info);
                if (w.find() && a.find() && Long.parseLong(a.group(1)) >= Long.parseLong(w.group(1))) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("The replica did not acknowledge the primary's writes within 30 s");
        }
    }

    /** Allocate+free, one thread. */
    @Benchmark
    @Threads(1)
    public boolean allocateAndFree(Replicated replicated) {
        return replicated.allocateAndFree();
    }
}
