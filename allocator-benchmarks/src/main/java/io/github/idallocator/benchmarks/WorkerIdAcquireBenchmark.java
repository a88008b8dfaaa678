package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import me.ahoo.cosid.machine.ClockBackwardsSynchronizer;
import me.ahoo.cosid.machine.InMemoryMachineStateStorage;
import me.ahoo.cosid.machine.InstanceId;
import me.ahoo.cosid.machine.MachineIdDistributor;
import me.ahoo.cosid.machine.MachineStateStorage;
import me.ahoo.cosid.snowflake.MillisecondSnowflakeId;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Latency of taking a Snowflake worker id from Redis, one caller (percentiles from {@link Mode#SampleTime}): the
 * library's {@code new WorkerIdLease(workers, generator, DEFAULT, clock).acquire()} (a fresh lease object, so it has no
 * previous worker id to ask for: one {@code allocate} round trip on the worker-id allocator of 1024 ids), beside CosId's
 * {@code SpringRedisMachineIdDistributor.distribute(namespace, 10 bits, instance, safe-guard duration)} (one script
 * round trip; an in-memory machine-state storage, so no local file is written, emptied after each revert, so that
 * every {@code distribute} asks Redis as a starting process does). {@code acquire} and {@code
 * cosIdDistribute} time the acquisition alone and give the worker id back outside the timed call (a per-invocation
 * teardown: {@code close()}, which frees it with the last issued timestamp, and CosId's {@code revert}); the {@code
 * ...AndRelease} / {@code ...AndRevert} benchmarks time both. Each benchmark runs in its own fork with its own
 * redis-server.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class WorkerIdAcquireBenchmark {

    /** CosId's namespace for machine ids. */
    static final String NAMESPACE = "benchmark";

    /** The library's worker-id allocator (reuse delay 0, as the Spring Boot starter creates it) and one generator. */
    @State(Scope.Benchmark)
    public static class Library extends CallsServerState {
        IdAllocator workers;
        SnowflakeIdGenerator generator;

        /** Starts the server and creates the worker-id allocator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            SnowflakeLayout layout = SnowflakeLayout.DEFAULT;
            workers = redis.allocator(
                    IdAllocatorConfig.builder("snowflake-workers", 0, layout.maxWorkerId())
                            .reuseDelay(Duration.ZERO)
                            .build(),
                    InstanceIds.generate());
            generator = SnowflakeIdGenerator.builder(layout).build();
            System.out.println(System.lineSeparator() + redis.describe() + "; worker-id allocator " + workers);
        }

        WorkerIdLease newLease() {
            return new WorkerIdLease(workers, generator, WorkerLeaseSettings.DEFAULT, System::currentTimeMillis);
        }
    }

    /** CosId's machine-id distributor on its own redis-server. */
    @State(Scope.Benchmark)
    public static class CosId extends CallsServerState {
        SpringRedisMachineIdDistributor distributor;
        MachineStateStorage storage;
        InstanceId instance;

        /** Starts the server and creates the distributor. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            storage = new InMemoryMachineStateStorage();
            distributor = new SpringRedisMachineIdDistributor(
                    new StringRedisTemplate(redis.connectionFactory()), storage, ClockBackwardsSynchronizer.DEFAULT);
            instance = InstanceId.of(InstanceIds.generate(), false);
            System.out.println(System.lineSeparator() + redis.describe() + "; CosId SpringRedisMachineIdDistributor");
        }

        int distribute() {
            return distributor
                    .distribute(
                            NAMESPACE,
                            MillisecondSnowflakeId.DEFAULT_MACHINE_BIT,
                            instance,
                            MachineIdDistributor.FOREVER_SAFE_GUARD_DURATION)
                    .getMachineId();
        }

        /**
         * Gives the machine id back in Redis, then forgets the local machine state ({@code revert} keeps it, and
         * {@code distribute} answers from it without asking Redis): a new process starts without one.
         */
        void revert() {
            distributor.revert(NAMESPACE, instance);
            storage.remove(NAMESPACE, instance);
        }
    }

    /** What one invocation took, given back by a per-invocation teardown, outside the timed call. */
    @State(Scope.Thread)
    public static class Held {
        WorkerIdLease lease;
        CosId cosId;

        /** Closes the lease or reverts CosId's machine id taken in this invocation. */
        @TearDown(Level.Invocation)
        public void giveBack() {
            if (lease != null) {
                lease.close();
                lease = null;
            }
            if (cosId != null) {
                cosId.revert();
                cosId = null;
            }
        }
    }

    /** The library: a new lease acquires a worker id (closed after the timed call). */
    @Benchmark
    public long acquire(Library library, Held held) {
        WorkerIdLease lease = library.newLease();
        held.lease = lease;
        lease.acquire();
        return lease.workerId();
    }

    /** The library: a new lease acquires a worker id, then {@code close()} frees it. */
    @Benchmark
    public long acquireAndRelease(Library library) {
        WorkerIdLease lease = library.newLease();
        lease.acquire();
        long workerId = lease.workerId();
        lease.close();
        return workerId;
    }

    /** CosId: distribute a machine id (reverted after the timed call). */
    @Benchmark
    public int cosIdDistribute(CosId cosId, Held held) {
        held.cosId = cosId;
        return cosId.distribute();
    }

    /** CosId: distribute a machine id, then revert it. */
    @Benchmark
    public int cosIdDistributeAndRevert(CosId cosId) {
        int machineId = cosId.distribute();
        cosId.revert();
        return machineId;
    }
}
