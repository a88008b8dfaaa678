package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.ReleaseOutcome;
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
 * What pool callers see when Redis dies or stops answering: a call fails within the command timeout, also one that is
 * waiting; a holder's lease is lost at its local deadline; an acquisition whose reply was lost is released once Redis
 * answers, and a release whose reply was lost learns RELEASED when retried. Each test runs its own redis-server.
 */
@WithRedisClients
class PoolRedisFailureTest {

    /** Command and connect timeouts are {@link RedisClient#TIMEOUT}; a failing call must end soon after. */
    private static final Duration FAILS_WITHIN = RedisClient.TIMEOUT.plusSeconds(2);

    private final RedisClient client;
    private RedisServerProcess server;
    private RedisClient.Factory holderConnection;
    private RedisClient.Factory waiterConnection;
    private RedisResourcePool holder;
    private RedisResourcePool waiter;

    PoolRedisFailureTest(RedisClient client) {
        this.client = client;
    }

    @BeforeEach
    void startOwnRedis() {
        server = RedisServerProcess.start();
        holderConnection = client.connect(server);
        waiterConnection = client.connect(server);
        holder = pool(holderConnection, Duration.ofSeconds(1));
        waiter = pool(waiterConnection, Duration.ofSeconds(1));
        holder.add("proxy-1");
    }

    private static RedisResourcePool pool(RedisClient.Factory connection, Duration leaseTime) {
        PoolConfig config = PoolConfig.builder("failure").leaseTime(leaseTime).build();
        return RedisResourcePool.createOrAttach(
                connection.connectionFactory(), config, "instance-" + System.nanoTime());
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
    void anAcquireFailsWithARetryableRedisUnavailableWhenRedisIsDown() {
        server.kill();

        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> holder.tryAcquire());

        assertThat(failure).isInstanceOf(RedisUnavailableException.class);
        assertThat(((RedisUnavailableException) failure).isRetryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAILS_WITHIN);
    }

    @Test
    void aWaiterFailsWithinTheCommandTimeoutWhenRedisDies() throws Exception {
        holder.tryAcquire().orElseThrow();
        CompletableFuture<ResourceLease> waiting =
                CompletableFuture.supplyAsync(() -> waiter.acquire(Duration.ofMinutes(5)));
        Thread.sleep(500);

        long killed = System.nanoTime();
        server.kill();
        Throwable failure = catchThrowable(() -> waiting.get(30, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RedisUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(FAILS_WITHIN);
    }

    @Test
    void aHolderLosesItsLeaseAtTheLocalDeadlineWhenRedisDies() {
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        holder.addListener(events::add);
        ResourceLease lease = holder.tryAcquire().orElseThrow();

        server.kill();

        await().atMost(Duration.ofSeconds(3)).until(() -> !lease.isHeld());
        assertThat(System.nanoTime() - lease.localDeadlineNanos()).isNotNegative();
        await().atMost(FAILS_WITHIN.plusSeconds(2))
                .until(() -> events.stream().anyMatch(e -> e.type() == PoolEvent.Type.LOST));
        assertThat(holder.heldLeases()).isEmpty();
    }

    @Test
    void aKeyOfAnotherTypeStopsThePoolFromAttaching() {
        server.command("SET", "idalloc:{pool:conflict}:res", "not a hash");

        assertThatThrownBy(() -> RedisResourcePool.createOrAttach(
                        holderConnection.connectionFactory(),
                        PoolConfig.builder("conflict").build(),
                        "instance"))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining("idalloc:{pool:conflict}:res");
        assertThat(server.command("GET", "idalloc:{pool:conflict}:res")).hasToString("not a hash");
    }

    /**
     * Redis paused (SIGSTOP) longer than the command timeout: the acquire's reply is lost and the release the pool
     * sends for it runs after the acquire once Redis resumes, so the resource is free long before its 30 s lease would
     * end. Lettuce only: its commands of one connection reach Redis in order, while Jedis discards a timed-out
     * connection and sends the release on another one.
     */
    @Test
    void anAcquireWhoseReplyWasLostIsReleasedOnceRedisAnswers() throws Exception {
        assumeTrue(client == RedisClient.LETTUCE, "needs one connection that keeps its commands in order");
        RedisResourcePool lettuce = pool(holderConnection, Duration.ofSeconds(30));
        try {
            lettuce.tryAcquire().orElseThrow().release();
            signal("STOP");
            Throwable failure;
            try {
                failure = catchThrowable(lettuce::tryAcquire);
            } finally {
                signal("CONT");
            }

            assertThat(failure).isInstanceOf(RedisUnavailableException.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> waiter.tryAcquire().isPresent());
        } finally {
            lettuce.close();
        }
    }

    /**
     * Redis paused longer than the command timeout while a release runs: the release throws, runs once Redis resumes,
     * and its retry, which finds no lease, learns RELEASED because the first was sent before the local deadline. (A
     * release runs before, so that the script is in Redis's cache: the EVAL that follows a NOSCRIPT reply is only sent
     * when that reply arrives in time.)
     */
    @Test
    void aRetriedReleaseWhoseFirstReplyWasLostLearnsReleased() throws Exception {
        assumeTrue(client == RedisClient.LETTUCE, "needs one connection that keeps its commands in order");
        RedisResourcePool lettuce = pool(holderConnection, Duration.ofSeconds(30));
        try {
            lettuce.tryAcquire().orElseThrow().release();
            ResourceLease lease = lettuce.tryAcquire().orElseThrow();
            signal("STOP");
            Throwable failure;
            try {
                failure = catchThrowable(lease::release);
            } finally {
                signal("CONT");
            }

            assertThat(failure).isInstanceOf(RedisUnavailableException.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> waiter.tryAcquire().isPresent());
            assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        } finally {
            lettuce.close();
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -" + name)
                .isTrue();
    }
}
