package io.github.idallocator.benchmarks;

import io.github.idallocator.etcd.EtcdWorkerIdStore;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.snowflake.RedisWorkerIdStore;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdStore;
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
 * Round trip of claiming a Snowflake worker id and releasing it, one caller, average time: the two {@link
 * WorkerIdStore}s side by side, {@code claim(-1, 30 s, note)} then {@code release(claim, note)} (what a starting process
 * and its shutdown cost the store, without the {@link io.github.idallocator.snowflake.WorkerIdLease} around it), and
 * CosId's Redis machine-id distributor, {@code distribute} then {@code revert}.
 *
 * <ul>
 *   <li>{@code redisClaimAndRelease}: {@link RedisWorkerIdStore} over a range allocator of 1024 worker ids (reuse delay
 *       0, as the Spring Boot starter creates it) on a private redis-server: one {@code allocate} and one {@code free}
 *       script call.
 *   <li>{@code etcdClaimAndRelease}: {@link EtcdWorkerIdStore} over the same 1024 ids on a private single-member etcd
 *       (data on tmpfs): lease grant, keys-only read of the claimed ids, claim transaction; release transaction, lease
 *       revoke. Five round trips, four of them writes committed through Raft.
 *   <li>{@code cosIdDistributeAndRevert}: CosId's {@code SpringRedisMachineIdDistributor} on a private redis-server, with
 *       an in-memory machine-state storage emptied after each revert so that every {@code distribute} asks Redis.
 * </ul>
 *
 * <p>Each benchmark runs in its own fork with its own server. The Redis states print the server's calls per iteration;
 * every state prints the processor shares of the benchmark JVM, the server and the other processes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class WorkerIdStoreBenchmark {

    /** The claim's lease time: the default of the worker-id lease. */
    static final Duration TTL = WorkerLeaseSettings.DEFAULT.ttl();

    /** The worker ids: 0 .. 1023, the default layout's 10 worker bits. */
    static final long MAX_WORKER_ID = SnowflakeLayout.DEFAULT.maxWorkerId();

    /** The library's Redis store over a range allocator on a private redis-server. */
    @State(Scope.Benchmark)
    public static class RedisStore extends CallsServerState {
        WorkerIdStore store;
        String note;

        /** Starts the server and creates the worker-id allocator. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            String instance = InstanceIds.generate();
            store = new RedisWorkerIdStore(redis.allocator(
                    IdAllocatorConfig.builder("snowflake-workers", 0, MAX_WORKER_ID)
                            .reuseDelay(Duration.ZERO)
                            .build(),
                    instance));
            note = System.currentTimeMillis() + " " + instance;
            System.out.println(System.lineSeparator() + redis.describe() + "; RedisWorkerIdStore " + store.name());
        }
    }

    /** The library's etcd store on a private single-member etcd. */
    @State(Scope.Benchmark)
    public static class EtcdStore {
        BenchmarkEtcd etcd;
        WorkerIdStore store;
        String note;
        private CpuShares cpu;

        /** Starts etcd and creates the store. */
        @Setup(Level.Trial)
        public void setUp() {
            etcd = BenchmarkEtcd.start();
            String instance = InstanceIds.generate();
            store = new EtcdWorkerIdStore(etcd.client(), "idalloc/snowflake-workers/", 0, MAX_WORKER_ID, instance);
            note = System.currentTimeMillis() + " " + instance;
            System.out.println(System.lineSeparator() + etcd.describe() + "; EtcdWorkerIdStore " + store.name());
        }

        /** Starts counting processor time. */
        @Setup(Level.Iteration)
        public void beginIteration() {
            cpu = CpuShares.start(etcd.pid());
        }

        /** Prints the processor shares of the iteration. */
        @TearDown(Level.Iteration)
        public void endIteration() {
            System.out.println(System.lineSeparator() + cpu.report().replace("redis-server", "etcd"));
        }

        /** Stops etcd. */
        @TearDown(Level.Trial)
        public void tearDown() {
            etcd.close();
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
    }

    /** The Redis store: claim any free worker id, then release it. */
    @Benchmark
    public long redisClaimAndRelease(RedisStore redis) {
        return claimAndRelease(redis.store, redis.note);
    }

    /** The etcd store: claim any free worker id, then release it. */
    @Benchmark
    public long etcdClaimAndRelease(EtcdStore etcd) {
        return claimAndRelease(etcd.store, etcd.note);
    }

    /** CosId: distribute a machine id, then revert it and forget the local machine state. */
    @Benchmark
    public int cosIdDistributeAndRevert(CosId cosId) {
        int machineId = cosId.distributor
                .distribute(
                        WorkerIdAcquireBenchmark.NAMESPACE,
                        MillisecondSnowflakeId.DEFAULT_MACHINE_BIT,
                        cosId.instance,
                        MachineIdDistributor.FOREVER_SAFE_GUARD_DURATION)
                .getMachineId();
        cosId.distributor.revert(WorkerIdAcquireBenchmark.NAMESPACE, cosId.instance);
        cosId.storage.remove(WorkerIdAcquireBenchmark.NAMESPACE, cosId.instance);
        return machineId;
    }

    private static long claimAndRelease(WorkerIdStore store, String note) {
        WorkerClaim claim = store.claim(-1, TTL, note);
        if (!store.release(claim, note)) {
            throw new IllegalStateException("worker id " + claim.workerId() + " was no longer ours at release");
        }
        return claim.workerId();
    }
}
