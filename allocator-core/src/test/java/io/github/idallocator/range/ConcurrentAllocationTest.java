package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads on two instances (two connection factories, two instance ids, one allocator name) drain the whole range
 * at once and free it again: no id is ever handed out twice and the counters add up at every step.
 */
@WithRedisClients
class ConcurrentAllocationTest {

    private static final long MIN = 1000;
    private static final long MAX = 4999;
    private static final int SIZE = (int) (MAX - MIN + 1);
    private static final int THREADS_PER_INSTANCE = 8;

    private final RedisClient client;

    ConcurrentAllocationTest(RedisClient client) {
        this.client = client;
    }

    private RedisClient.Factory factoryA;
    private RedisClient.Factory factoryB;
    private String name;
    private ExecutorService threads;

    @BeforeEach
    void connect(RedisServerProcess server) {
        factoryA = client.connect(server);
        factoryB = client.connect(server);
        name = "concurrent-" + UUID.randomUUID();
        threads = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
    }

    @AfterEach
    void disconnect() {
        threads.shutdownNow();
        factoryA.close();
        factoryB.close();
    }

    @Test
    void concurrentSingleAllocationsUntilExhaustionNeverHandOutAnIdTwice() throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new CopyOnWriteArrayList<>();
        List<Worker> workers = workers();

        runAll(workers, worker -> {
            while (true) {
                Lease lease;
                try {
                    lease = worker.allocator.allocate();
                } catch (IdsExhaustedException rangeDrained) {
                    return;
                }
                worker.leases.add(lease);
                if (!ids.add(lease.id())) {
                    duplicates.add(lease.id());
                }
            }
        });

        assertThat(duplicates).as("ids handed out twice").isEmpty();
        assertThat(ids).hasSize(SIZE).allSatisfy(id -> assertThat(id).isBetween(MIN, MAX));
        assertThat(workers.stream().mapToInt(w -> w.leases.size()).sum()).isEqualTo(SIZE);
        assertThat(workers).allSatisfy(w -> assertThat(w.leases)
                .allSatisfy(l -> assertThat(l.owner()).isEqualTo(w.allocator.instanceId())));
        AllocatorStats drained = workers.get(0).allocator.stats();
        assertThat(drained.allocated()).isEqualTo(SIZE);
        assertThat(drained.available()).isZero();
        assertThat(drained.leases()).isEqualTo(SIZE);
        List<Long> tokens = workers.stream()
                .flatMap(w -> w.leases.stream())
                .map(Lease::fencingToken)
                .toList();
        assertThat(tokens).as("fencing tokens").doesNotHaveDuplicates();
        assertThat(drained.lastFencingToken())
                .isEqualTo(tokens.stream().mapToLong(Long::longValue).max().orElseThrow());

        freeEverything(workers);

        AllocatorStats freed = workers.get(0).allocator.stats();
        assertThat(freed.allocated()).isZero();
        assertThat(freed.leases()).isZero();
        assertThat(freed.available()).isEqualTo(SIZE);
    }

    @Test
    void concurrentBatchAndRangeAllocationsNeverPutAnIdInTwoLeases() throws Exception {
        List<Worker> workers = workers();

        runAll(workers, worker -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                int count = 1 + random.nextInt(8);
                try {
                    if (random.nextBoolean()) {
                        List<Lease> batch = worker.allocator.allocate(count);
                        assertThat(batch).hasSize(count);
                        worker.leases.addAll(batch);
                    } else {
                        Lease run = worker.allocator.allocateRange(count);
                        assertThat(run.count()).isEqualTo(count);
                        worker.leases.add(run);
                    }
                } catch (IdsExhaustedException notEnoughRoom) {
                    try {
                        worker.leases.add(worker.allocator.allocate());
                    } catch (IdsExhaustedException rangeDrained) {
                        return;
                    }
                }
            }
        });

        List<Lease> all = workers.stream().flatMap(w -> w.leases.stream()).toList();
        Map<Long, Lease> holderOf = new ConcurrentHashMap<>();
        List<String> overlaps = new ArrayList<>();
        for (Lease lease : all) {
            for (long id = lease.firstId(); id <= lease.lastId(); id++) {
                Lease other = holderOf.putIfAbsent(id, lease);
                if (other != null) {
                    overlaps.add("id " + id + " in " + other + " and " + lease);
                }
            }
        }
        assertThat(overlaps).as("ids in two leases").isEmpty();
        assertThat(holderOf.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(MIN, MAX).boxed().toList());
        assertThat(all).extracting(Lease::fencingToken).doesNotHaveDuplicates();
        assertThat(leasesStoredInRedis(workers.get(0).allocator)).isEqualTo(describe(all));
        AllocatorStats drained = workers.get(0).allocator.stats();
        assertThat(drained.allocated()).isEqualTo(SIZE);
        assertThat(drained.available()).isZero();
        assertThat(drained.leases()).isEqualTo(all.size());

        freeEverything(workers);

        AllocatorStats freed = workers.get(0).allocator.stats();
        assertThat(freed.allocated()).isZero();
        assertThat(freed.leases()).isZero();
        assertThat(freed.available()).isEqualTo(SIZE);
    }

    /** Eight workers on instance a and eight on instance b, each with its own connection factory. */
    private List<Worker> workers() {
        RedisIdAllocator a = allocator(factoryA, "instance-a");
        RedisIdAllocator b = allocator(factoryB, "instance-b");
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < THREADS_PER_INSTANCE; i++) {
            workers.add(new Worker(a));
            workers.add(new Worker(b));
        }
        return workers;
    }

    private RedisIdAllocator allocator(RedisClient.Factory factory, String instance) {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, MIN, MAX)
                .reuseDelay(Duration.ZERO)
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, instance);
    }

    /** Each worker frees the leases it allocated, every one of them successfully. */
    private void freeEverything(List<Worker> workers) throws Exception {
        List<Lease> notFreed = new CopyOnWriteArrayList<>();
        runAll(workers, worker -> {
            for (Lease lease : worker.leases) {
                if (!worker.allocator.free(lease)) {
                    notFreed.add(lease);
                }
            }
        });
        assertThat(notFreed).as("leases free(lease) did not find").isEmpty();
    }

    /** Starts every worker at the same moment and waits for all of them; a worker's failure fails the test. */
    private void runAll(List<Worker> workers, WorkerTask task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(workers.size());
        List<Future<?>> running = new ArrayList<>();
        for (Worker worker : workers) {
            running.add(threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                task.run(worker);
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** Every lease in the leases hash, walked page by page, as "first-last owner token". */
    private static Set<String> leasesStoredInRedis(IdAllocator allocator) {
        Set<String> stored = new HashSet<>();
        String cursor = LeasePage.START;
        do {
            LeasePage page = allocator.allocatedIds(cursor, 500);
            stored.addAll(describe(page.leases()));
            cursor = page.nextCursor();
        } while (!LeasePage.START.equals(cursor));
        return stored;
    }

    private static Set<String> describe(List<Lease> leases) {
        return leases.stream()
                .map(l -> l.firstId() + "-" + l.lastId() + " " + l.owner() + " " + l.fencingToken())
                .collect(Collectors.toSet());
    }

    private static final class Worker {
        final RedisIdAllocator allocator;
        final List<Lease> leases = new ArrayList<>();

        Worker(RedisIdAllocator allocator) {
            this.allocator = allocator;
        }
    }

    @FunctionalInterface
    private interface WorkerTask {
        void run(Worker worker) throws Exception;
    }
}
