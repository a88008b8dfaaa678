package io.github.idallocator.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Worker-id leases when Redis loses the worker-id allocator's state or is down, through Lettuce and through Jedis. The
 * backend-neutral contract is {@code allocator-tck}'s {@code WorkerIdLeaseContractTest}, run on Redis by {@code
 * RedisWorkerIdLeaseContractTest}.
 */
@WithRedisClients
class WorkerIdLeaseTest {

    private static final WorkerLeaseSettings FAST = new WorkerLeaseSettings(
            Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(300));

    private final RedisClient client;
    private final RedisConnectionFactory factory;
    private String name;
    private final List<WorkerIdLease> leases = new ArrayList<>();

    WorkerIdLeaseTest(RedisClient client, RedisConnectionFactory factory) {
        this.client = client;
        this.factory = factory;
    }

    @BeforeEach
    void name() {
        name = "workers-" + UUID.randomUUID();
    }

    @AfterEach
    void closeLeases() {
        leases.forEach(WorkerIdLease::close);
    }

    private SnowflakeIdGenerator generator() {
        return SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
    }

    private WorkerIdLease lease(IdAllocator workers, SnowflakeIdGenerator generator, WorkerLeaseSettings settings) {
        WorkerIdLease lease = new WorkerIdLease(workers, generator, settings, System::currentTimeMillis);
        leases.add(lease);
        return lease;
    }

    @Test
    void aHolderReRegistersItsWorkerIdWhenRedisLostTheAllocatorsState() {
        IdAllocator workers = protectedWorkers("pod-a");
        awaitRecovery(workers);
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, FAST);
        lease.acquire();
        long worker = lease.workerId();
        long token = lease.claim().fencingToken();
        loseState();

        lease.renew();

        assertThat(lease.workerId()).isEqualTo(worker);
        assertThat(lease.claim().fencingToken()).isEqualTo(token);
        assertThat(generator.isGranted()).isTrue();
    }

    @Test
    void aNewProcessWaitsOutTheRecoveryPeriodBeforeItTakesAWorkerIdAfterRedisLostTheState() {
        IdAllocator first = protectedWorkers("pod-a");
        awaitRecovery(first);
        WorkerIdLease holder = lease(first, generator(), FAST);
        holder.acquire();
        loseState();
        IdAllocator second = protectedWorkers("pod-b");
        WorkerIdLease newcomer = lease(second, generator(), FAST);

        long started = System.nanoTime();
        CompletableFuture<Void> acquired = CompletableFuture.runAsync(newcomer::acquire);
        holder.renew();
        acquired.join();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(newcomer.workerId()).isNotEqualTo(holder.workerId());
        assertThat(waitedMillis)
                .isGreaterThanOrEqualTo(FAST.ttl().toMillis() / 2)
                .isLessThan(FAST.ttl().toMillis() + FAST.heartbeatInterval().toMillis() + 2_000);
    }

    @Test
    void withRedisDownAcquireFailsWithinAboutOneCommandTimeout() {
        Duration timeout = Duration.ofMillis(500);
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisClient.Factory ownFactory = client.connectWithClientDefaults(own, timeout);
            try {
                IdAllocator workers = RedisIdAllocator.createOrAttach(
                        ownFactory.connectionFactory(),
                        IdAllocatorConfig.builder(name, 0, 1023)
                                .reuseDelay(Duration.ZERO)
                                .build(),
                        "pod-a");
                WorkerIdLease lease = new WorkerIdLease(workers, generator(), FAST, System::currentTimeMillis);
                own.kill();

                long started = System.nanoTime();
                assertThatThrownBy(lease::acquire).isInstanceOf(RedisUnavailableException.class);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(took).isLessThan(timeout.multipliedBy(2));
            } finally {
                ownFactory.close();
            }
        }
    }

    private IdAllocator protectedWorkers(String instance) {
        return RedisIdAllocator.createOrAttach(
                factory,
                IdAllocatorConfig.builder(name, 0, 1023)
                        .reuseDelay(Duration.ZERO)
                        .defaultTtl(FAST.ttl())
                        .recoveryPeriod(FAST.ttl())
                        .build(),
                instance);
    }

    private void awaitRecovery(IdAllocator workers) {
        await().atMost(FAST.ttl().multipliedBy(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try {
                        workers.free(workers.allocate());
                        return true;
                    } catch (io.github.idallocator.RecoveringException e) {
                        return false;
                    }
                });
    }

    private void loseState() {
        try (var connection = factory.getConnection()) {
            for (String part : List.of("meta", "bitmap", "full", "leases", "deadlines", "ranges", "resting", "notes")) {
                connection.keyCommands().del(("idalloc:{" + name + "}:" + part).getBytes());
            }
        }
    }
}
