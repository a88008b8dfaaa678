package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /**
     * Redis paused (SIGSTOP) longer than the command timeout: the acquire's reply is lost, the caller gets
     * RedisUnavailableException, and the release the service sends for it runs after the acquire once Redis resumes, so
     * the lock is free long before its 30 s lease would end. Lettuce only: its commands of one connection reach Redis
     * in order, while Jedis discards a timed-out connection and sends the release on another one.
     */
    @Test
    void anAcquireWhoseReplyWasLostIsReleasedOnceRedisAnswers() throws Exception {
        assumeTrue(client == RedisClient.LETTUCE, "needs one connection that keeps its commands in order");
        LockConfig config = LockConfig.builder("lost-reply")
                .leaseTime(Duration.ofSeconds(30))
                .build();
        RedisLockService lettuce = RedisLockService.create(holderConnection.connectionFactory(), config);
        RedisLockService other = RedisLockService.create(waiterConnection.connectionFactory(), config);
        try {
            lettuce.tryAcquire("warm-up").orElseThrow().release();
            signal("STOP");
            Throwable failure;
            try {
                failure = catchThrowable(() -> lettuce.tryAcquire("orders"));
            } finally {
                signal("CONT");
            }

            assertThat(failure).isInstanceOf(RedisUnavailableException.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.tryAcquire("orders").isPresent());
        } finally {
            lettuce.close();
            other.close();
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -" + name)
                .isTrue();
    }
}
