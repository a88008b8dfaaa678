package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.ahoo.cosid.machine.ClockBackwardsSynchronizer;
import me.ahoo.cosid.machine.InstanceId;
import me.ahoo.cosid.machine.MachineIdDistributor;
import me.ahoo.cosid.machine.MachineStateStorage;
import me.ahoo.cosid.snowflake.ClockSyncSnowflakeId;
import me.ahoo.cosid.snowflake.MillisecondSnowflakeId;
import me.ahoo.cosid.snowflake.SnowflakeId;
import me.ahoo.cosid.spring.redis.SpringRedisMachineIdDistributor;
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
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Snowflake ids per second, 1 and 4 threads: the library's {@link SnowflakeIdGenerator} (default layout 41/10/12 bits,
 * ms ticks) with its worker id leased through a {@link WorkerIdLease} from a range allocator on a private redis-server
 * and renewed on a scheduler, as applications run it (so every {@code nextId()} checks the lease's local deadline),
 * beside CosId's {@code ClockSyncSnowflakeId(MillisecondSnowflakeId(machineId))} (also 41/10/12 bits) with its machine id
 * from CosId's {@link SpringRedisMachineIdDistributor} on a private redis-server. Both layouts allow 4,096 ids per
 * millisecond, so neither can pass 4,096,000 ids/s. Each benchmark runs in its own fork with its own redis-server; the
 * thread counts are fixed by {@link Threads}: do not pass {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SnowflakeThroughputBenchmark {

    /** The library's generator, its worker id leased from Redis and renewed every 10 s. */
    @State(Scope.Benchmark)
    public static class Library extends CallsServerState {
        SnowflakeIdGenerator generator;
        WorkerIdLease lease;
        ScheduledExecutorService scheduler;

        /** Starts the server, leases a worker id and starts renewing it. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            SnowflakeLayout layout = SnowflakeLayout.DEFAULT;
            IdAllocator workers = redis.allocator(
                    IdAllocatorConfig.builder("snowflake-workers", 0, layout.maxWorkerId())
                            .reuseDelay(Duration.ZERO)
                            .build(),
                    InstanceIds.generate());
            generator = SnowflakeIdGenerator.builder(layout).build();
            lease = new WorkerIdLease(workers, generator, WorkerLeaseSettings.DEFAULT, System::currentTimeMillis);
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "worker-lease-renewal");
                thread.setDaemon(true);
                return thread;
            });
            lease.start(scheduler);
            System.out.println(System.lineSeparator() + redis.describe() + "; library generator " + layout.timeBits()
                    + "/" + layout.workerBits() + "/" + layout.sequenceBits() + " bits, leased worker id "
                    + lease.workerId() + " (lease " + lease.ttl() + ", renewed every "
                    + WorkerLeaseSettings.DEFAULT.heartbeatInterval() + ")");
        }

        @Override
        protected void closeClients() {
            System.out.println("library generator: " + generator.stats());
            lease.close();
            scheduler.shutdownNow();
        }
    }

    /** CosId's Snowflake with a machine id from its Redis machine-id distributor. */
    @State(Scope.Benchmark)
    public static class CosId extends CallsServerState {
        SnowflakeId snowflake;

        /** Starts the server, takes a machine id and builds the generator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            SpringRedisMachineIdDistributor distributor = new SpringRedisMachineIdDistributor(
                    new StringRedisTemplate(redis.connectionFactory()),
                    MachineStateStorage.IN_MEMORY,
                    ClockBackwardsSynchronizer.DEFAULT);
            int machineId = distributor
                    .distribute(
                            "benchmark",
                            MillisecondSnowflakeId.DEFAULT_MACHINE_BIT,
                            InstanceId.of(InstanceIds.generate(), false),
                            MachineIdDistributor.FOREVER_SAFE_GUARD_DURATION)
                    .getMachineId();
            snowflake = new ClockSyncSnowflakeId(new MillisecondSnowflakeId(machineId));
            System.out.println(System.lineSeparator() + redis.describe() + "; CosId ClockSyncSnowflakeId("
                    + "MillisecondSnowflakeId) " + snowflake.getTimestampBit() + "/" + snowflake.getMachineBit() + "/"
                    + snowflake.getSequenceBit() + " bits, machine id " + snowflake.getMachineId());
        }
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadLibrary(Library library) {
        return library.generator.nextId();
    }

    /** The library, four threads sharing the generator. */
    @Benchmark
    @Threads(4)
    public long fourThreadsLibrary(Library library) {
        return library.generator.nextId();
    }

    /** CosId, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadCosId(CosId cosId) {
        return cosId.snowflake.generate();
    }

    /** CosId, four threads sharing the generator. */
    @Benchmark
    @Threads(4)
    public long fourThreadsCosId(CosId cosId) {
        return cosId.snowflake.generate();
    }
}
