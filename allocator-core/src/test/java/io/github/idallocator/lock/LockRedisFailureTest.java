package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What lock callers see when Redis dies: a call fails within the command timeout, also one that is waiting, and a
 * holder's lease is lost at its local deadline. Each test runs its own redis-server, which it kills.
 */
@WithRedisClients
class LockRedisFailureTest {

    /** Command and connect timeouts are {@link RedisClient#TIMEOUT}; a failing call must end soon after. */
    private static final Duration FAILS_WITHIN = RedisClient.TIMEOUT.plusSeconds(2);

    private final RedisClient client;
    private RedisServerProcess server;
    private RedisClient.Factory holderConnection;
    private RedisClient.Factory waiterConnection;
    private RedisLockService holder;
    private RedisLockService waiter;

    LockRedisFailureTest(RedisClient client) {
        this.client = client;
    }

    @BeforeEach
    void startOwnRedis() {
        server = RedisServerProcess.start();
        holderConnection = client.connect(server);
        waiterConnection = client.connect(server);
        LockConfig config =
                LockConfig.builder("failure").leaseTime(Duration.ofSeconds(1)).build();
        holder = RedisLockService.create(holderConnection.connectionFactory(), config);
        waiter = RedisLockService.create(waiterConnection.connectionFactory(), config);
    }

    @AfterEach
    void stopOwnRedis() {
        try (RedisServerProcess stopped = server) {
            holder.close();
            waiter.close();
            holderConnection.close();
            waiterConnection.close();
        }
    }

    @Test
    void aWaiterFailsWithRedisUnavailableWithinTheCommandTimeoutWhenRedisDies() throws Exception {
        holder.acquire("orders", Duration.ZERO);
        CompletableFuture<LockLease> waiting =
                CompletableFuture.supplyAsync(() -> waiter.acquire("orders", Duration.ofMinutes(5)));
        Thread.sleep(500);

        long killed = System.nanoTime();
        server.kill();
        Throwable failure = catchThrowable(() -> waiting.get(30, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(FAILS_WITHIN);
    }

    @Test
    void anAcquireFailsWithARetryableRedisUnavailableWhenRedisIsDown() {
        server.kill();

        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> holder.tryAcquire("orders"));

        assertThat(failure).isInstanceOf(RedisUnavailableException.class);
        assertThat(((RedisUnavailableException) failure).isRetryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAILS_WITHIN);
    }

    @Test
    void aHolderLosesItsLeaseAtTheLocalDeadlineWhenRedisDies() {
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        holder.addListener(events::add);
        LockLease lease = holder.acquire("orders", Duration.ZERO);

        server.kill();

        await().atMost(Duration.ofSeconds(3)).until(() -> !lease.isHeld());
        assertThat(System.nanoTime() - lease.localDeadlineNanos()).isNotNegative();
        await().atMost(FAILS_WITHIN.plusSeconds(2))
                .until(() -> events.stream().anyMatch(e -> e.type() == LockEvent.Type.LOST));
        assertThat(holder.heldLocks()).isEmpty();
    }
}
