package io.github.idallocator.benchmarks;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.RedisLockService;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
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

/**
 * Uncontended lock+unlock, 1 and 4 threads, every thread on a lock name of its own (so nobody ever waits), each
 * implementation with its defaults ({@link LockPeer}) on its own client and its own private redis-server:
 *
 * <ul>
 *   <li>library, lease API: {@code tryAcquire(name)} (one attempt, default 30 s lease) then {@code release()};
 *   <li>library, {@link Lock} API: {@code asLock(name).lock()} then {@code unlock()} (registers for the release
 *       wake-ups before its attempt, as a {@code lock()} that may wait must);
 *   <li>Redisson 4.7.0: {@code RLock.lock()} then {@code unlock()};
 *   <li>Spring Integration 7.1: {@code RedisLockRegistry.obtain(name).lock()} then {@code unlock()}, default spin lock
 *       type;
 *   <li>raw floor: the library's own acquire and release scripts sent directly with EVALSHA on a plain Lettuce
 *       connection (sync API), two round trips: what a lock+unlock costs without the library's client side (lease
 *       object, renewal scheduling, wake-up registration, spring-data-redis).
 * </ul>
 *
 * <p>Both modes by default: throughput (operations per time unit) and sample time (the latency distribution, p50
 * among its percentiles). Pass {@code -bm thrpt -tu s} or {@code -bm sample -tu us} to run one mode in a readable
 * unit. After every iteration the state prints the server's calls per lock+unlock ({@link LockServerState}) and the
 * processor shares. The thread counts are fixed by {@link Threads}: do not pass {@code -t}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class LockThroughputBenchmark {

    /** A lock name per benchmark thread, so no thread waits for another. */
    @State(Scope.Thread)
    public static class ThreadLock {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final String name = "uncontended-" + THREADS.incrementAndGet();
        private int acquisitions;
        private Lock lock;
        private String[] rawKeys;

        /** The thread's {@link Lock} from {@code client}, created on first use. */
        Lock lock(LockPeer.Client client) {
            if (lock == null) {
                lock = client.lock(name);
            }
            return lock;
        }

        /** A new owner id for the raw scripts (unique per acquisition, as the library's). */
        String nextOwner() {
            return name + ":" + ++acquisitions;
        }
    }

    /** The library's lock service on its own connection factory and redis-server. */
    @State(Scope.Benchmark)
    public static class Library extends LockServerState {
        RedisLockService service;

        /** Starts the server and the service. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            service = RedisLockService.create(
                    redis.connectionFactory(),
                    LockConfig.builder(LockPeer.NAMESPACE).build());
            System.out.println(System.lineSeparator() + redis.describe() + "; library " + service.config());
        }

        boolean tryAcquireAndRelease(ThreadLock thread) {
            LockLease lease = service.tryAcquire(thread.name)
                    .orElseThrow(() -> new IllegalStateException("lock " + thread.name + " is held"));
            ReleaseOutcome outcome = lease.release();
            if (outcome != ReleaseOutcome.RELEASED) {
                throw new IllegalStateException("release of " + lease.name() + ": " + outcome);
            }
            counted();
            return true;
        }

        boolean lockAndUnlock(ThreadLock thread) {
            Lock lock = thread.lock;
            if (lock == null) {
                lock = service.asLock(thread.name);
                thread.lock = lock;
            }
            lock.lock();
            lock.unlock();
            counted();
            return true;
        }

        @Override
        protected void closeClients() {
            service.close();
        }
    }

    /** A peer's client ({@link LockPeer}) on its own redis-server. */
    public abstract static class Peer extends LockServerState {
        LockPeer.Client client;

        /** Starts the server and opens the peer's client. */
        void open(LockPeer peer) {
            redis = BenchmarkRedis.start();
            client = peer.open(redis.server().host(), redis.server().port());
            System.out.println(System.lineSeparator() + redis.describe() + "; " + client.describe());
        }

        boolean lockAndUnlock(ThreadLock thread) {
            Lock lock = thread.lock(client);
            lock.lock();
            lock.unlock();
            counted();
            return true;
        }

        @Override
        protected void closeClients() {
            client.close();
        }
    }

    /** Redisson's {@code RLock}. */
    @State(Scope.Benchmark)
    public static class RedissonLocks extends Peer {
        /** Starts the server and the Redisson client. */
        @Setup(Level.Trial)
        public void setUp() {
            open(LockPeer.REDISSON);
        }
    }

    /** Spring Integration's {@code RedisLockRegistry}, spin lock type (its default). */
    @State(Scope.Benchmark)
    public static class SpringIntegrationLocks extends Peer {
        /** Starts the server and the registry. */
        @Setup(Level.Trial)
        public void setUp() {
            open(LockPeer.SPRING_INTEGRATION_SPIN);
        }
    }

    /** The library's acquire and release scripts on a plain Lettuce connection: the floor of two EVALSHA. */
    @State(Scope.Benchmark)
    public static class RawScripts extends LockServerState {
        static final String DIR = "io/github/idallocator/lock";

        RedisCommands<String, String> commands;
        String acquireSha;
        String releaseSha;
        String keyPrefix;
        String lease;
        String retention;
        String channel;

        /** Starts the server and loads both scripts. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            commands = redis.commands();
            LockConfig config = LockConfig.builder(LockPeer.NAMESPACE).build();
            acquireSha = commands.scriptLoad(
                    LuaScripts.load(DIR, "acquire.lua").redisScript().getScriptAsString());
            releaseSha = commands.scriptLoad(
                    LuaScripts.load(DIR, "release.lua").redisScript().getScriptAsString());
            keyPrefix = config.keyPrefix();
            lease = Long.toString(config.leaseTime().toMillis());
            retention = Long.toString(config.tokenRetention().toMillis());
            channel = config.keyPrefix() + ":lock-released:" + config.namespace();
            System.out.println(System.lineSeparator() + redis.describe()
                    + "; raw: the library's acquire.lua and release.lua by EVALSHA on plain Lettuce");
        }

        long acquireAndRelease(ThreadLock thread) {
            String[] keys = thread.rawKeys;
            if (keys == null) {
                keys = new String[] {
                    KeyNames.member(keyPrefix, LockPeer.NAMESPACE, thread.name).key("lock")
                };
                thread.rawKeys = keys;
            }
            String owner = thread.nextOwner();
            List<Object> granted = commands.evalsha(acquireSha, ScriptOutputType.MULTI, keys, owner, lease);
            if ((Long) granted.get(0) != 1) {
                throw new IllegalStateException("raw acquire of " + thread.name + " answered " + granted);
            }
            long token = (Long) granted.get(1);
            List<Object> released = commands.evalsha(
                    releaseSha,
                    ScriptOutputType.MULTI,
                    keys,
                    owner,
                    Long.toString(token),
                    retention,
                    channel,
                    thread.name);
            if ((Long) released.get(0) != 1) {
                throw new IllegalStateException("raw release of " + thread.name + " answered " + released);
            }
            counted();
            return token;
        }
    }

    /** The library's lease API, one thread. */
    @Benchmark
    @Threads(1)
    public boolean oneThreadLibraryTryAcquire(Library library, ThreadLock thread) {
        return library.tryAcquireAndRelease(thread);
    }

    /** The library's lease API, four threads, a lock name each. */
    @Benchmark
    @Threads(4)
    public boolean fourThreadsLibraryTryAcquire(Library library, ThreadLock thread) {
        return library.tryAcquireAndRelease(thread);
    }

    /** The library's {@code Lock} adapter, one thread. */
    @Benchmark
    @Threads(1)
    public boolean oneThreadLibraryLock(Library library, ThreadLock thread) {
        return library.lockAndUnlock(thread);
    }

    /** The library's {@code Lock} adapter, four threads, a lock name each. */
    @Benchmark
    @Threads(4)
    public boolean fourThreadsLibraryLock(Library library, ThreadLock thread) {
        return library.lockAndUnlock(thread);
    }

    /** The raw floor, one thread. */
    @Benchmark
    @Threads(1)
    public long oneThreadRawScripts(RawScripts raw, ThreadLock thread) {
        return raw.acquireAndRelease(thread);
    }

    /** The raw floor, four threads sharing one Lettuce connection, a lock name each. */
    @Benchmark
    @Threads(4)
    public long fourThreadsRawScripts(RawScripts raw, ThreadLock thread) {
        return raw.acquireAndRelease(thread);
    }

    /** Redisson, one thread. */
    @Benchmark
    @Threads(1)
    public boolean oneThreadRedisson(RedissonLocks redisson, ThreadLock thread) {
        return redisson.lockAndUnlock(thread);
    }

    /** Redisson, four threads sharing the client, a lock name each. */
    @Benchmark
    @Threads(4)
    public boolean fourThreadsRedisson(RedissonLocks redisson, ThreadLock thread) {
        return redisson.lockAndUnlock(thread);
    }

    /** Spring Integration, one thread. */
    @Benchmark
    @Threads(1)
    public boolean oneThreadSpringIntegration(SpringIntegrationLocks registry, ThreadLock thread) {
        return registry.lockAndUnlock(thread);
    }

    /** Spring Integration, four threads sharing the registry, a lock name each. */
    @Benchmark
    @Threads(4)
    public boolean fourThreadsSpringIntegration(SpringIntegrationLocks registry, ThreadLock thread) {
        return registry.lockAndUnlock(thread);
    }
}
