package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers see when Redis dies, hangs and comes back. Each test runs its own redis-server, which it kills and
 * restarts (without persistence, so a restart loses every key).
 */
@WithRedisClients
class RedisFailureTest {

    /** Command and connect timeouts are {@link RedisClient#TIMEOUT}; a failing call must end soon after. */
    private static final Duration FAILS_WITHIN = RedisClient.TIMEOUT.plusSeconds(2);

    private static final Duration RECOVERS_WITHIN = Duration.ofSeconds(15);

    private final RedisClient client;

    RedisFailureTest(RedisClient client) {
        this.client = client;
    }

    private RedisServerProcess server;
    private RedisClient.Factory factory;

    @BeforeEach
    void startOwnRedis() {
        server = RedisServerProcess.start();
        factory = client.connect(server);
    }

    @AfterEach
    void stopOwnRedis() {
        try (RedisServerProcess stopped = server) {
            factory.close();
        }
    }

    private RedisIdAllocator allocator(String instance, Duration creatorTtl, Duration heartbeat) {
        IdAllocatorConfig config = IdAllocatorConfig.builder("failure", 100, 199)
                .reuseDelay(Duration.ZERO)
                .creatorTtl(creatorTtl)
                .heartbeatInterval(heartbeat)
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, instance);
    }

    private RedisIdAllocator allocator() {
        return allocator("instance-a", Duration.ofSeconds(15), Duration.ofSeconds(5));
    }

    /**
     * How a call ended: the simple name of its exception, plus what is wrong with it beyond the type (a message that
     * does not name the Redis it tried, or ends a sentence twice as a client's message ending in a period did).
     */
    private String outcome(ThrowingCallable call) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (thrown == null) {
            return "no exception";
        }
        String outcome = thrown.getClass().getSimpleName();
        String unavailable = "Redis at " + server.host() + ":" + server.port() + " is unavailable";
        if (thrown.getMessage() == null
                || !thrown.getMessage().contains(unavailable)
                || thrown.getMessage().contains("..")) {
            outcome += " with message '" + thrown.getMessage() + "'";
        }
        if (took.compareTo(FAILS_WITHIN) >= 0) {
            outcome += " after " + took.toMillis() + " ms";
        }
        return outcome;
    }

    private static void assertAllUnavailableSoon(Map<String, String> outcomes) {
        assertThat(outcomes)
                .allSatisfy((operation, outcome) ->
                        assertThat(outcome).as(operation).isEqualTo(RedisUnavailableException.class.getSimpleName()));
    }

    @Test
    void everyOperationFailsSoonWithRedisUnavailableWhileRedisIsDown() {
        RedisIdAllocator ids = allocator();
        Lease lease = ids.allocate();
        assertThat(lease.id()).isEqualTo(100);

        server.kill();

        Map<String, String> outcomes = new LinkedHashMap<>();
        outcomes.put("allocate()", outcome(ids::allocate));
        outcomes.put("allocate(count)", outcome(() -> ids.allocate(3)));
        outcomes.put("allocateRange(count)", outcome(() -> ids.allocateRange(3)));
        outcomes.put("reserve(id)", outcome(() -> ids.reserve(150)));
        outcomes.put("free(lease)", outcome(() -> ids.free(lease)));
        outcomes.put("free(id)", outcome(() -> ids.free(lease.id())));
        outcomes.put("extendTtl(lease)", outcome(() -> ids.extendTtl(lease, Duration.ofMinutes(1))));
        outcomes.put("leaseOf(id)", outcome(() -> ids.leaseOf(lease.id())));
        outcomes.put("stats()", outcome(ids::stats));
        outcomes.put("heartbeat()", outcome(ids::heartbeat));
        outcomes.put("cleanupExpired()", outcome(ids::cleanupExpired));
        assertAllUnavailableSoon(outcomes);
    }

    @Test
    void aRedisThatDoesNotAnswerInTimeIsReportedAsUnavailable() {
        RedisIdAllocator ids = allocator();
        ids.allocate();

        server.command(
                "CLIENT",
                "PAUSE",
                Long.toString(RedisClient.TIMEOUT.plusSeconds(1).toMillis()),
                "ALL");
        try {
            assertAllUnavailableSoon(Map.of("allocate() against a paused Redis", outcome(ids::allocate)));
        } finally {
            server.command("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void afterRedisRestartsWithoutItsDataAllocationWorksAgainFromTheBottomOfTheRange() {
        RedisIdAllocator ids = allocator();
        ids.allocate(5);
        server.kill();
        assertThatThrownBy(ids::allocate).isInstanceOf(IdAllocatorException.class);

        server.restart();

        AllocatorStats empty = await().atMost(RECOVERS_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IdAllocatorException.class)
                .until(ids::stats, s -> true);
        assertThat(empty.allocated()).isZero();
        Lease first = ids.allocate();
        assertThat(first.id())
                .as("ids start from the bottom again after the data loss")
                .isEqualTo(100);
        assertThat(ids.allocate(2)).extracting(Lease::id).containsExactly(101L, 102L);
        assertThat(ids.stats().allocated()).isEqualTo(3);
    }

    @Test
    void aHolderLearnsOfTheDataLossAtItsNextRenewal() {
        RedisIdAllocator ids = allocator();
        Lease lost = ids.allocateRange(3);
        server.kill();
        server.restart();
        await().atMost(RECOVERS_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IdAllocatorException.class)
                .until(ids::stats, s -> true);

        assertThatThrownBy(() -> ids.extendTtl(lost, Duration.ofMinutes(1)))
                .isInstanceOf(NotOwnerException.class)
                .hasMessageContaining("expired or was freed");
    }

    @Test
    void aHeartbeatKeepsRunningThroughAnOutageAndTheInstanceBecomesCreatorAgain() {
        Duration creatorTtl = Duration.ofMillis(500);
        RedisIdAllocator ids = allocator("instance-a", creatorTtl, Duration.ofMillis(100));
        List<String> changes = new CopyOnWriteArrayList<>();
        ids.addRoleListener((name, previous, current) -> changes.add(previous + "->" + current));

        try (AllocatorHeartbeat heartbeat = AllocatorHeartbeat.start(ids)) {
            assertThat(ids.role()).isEqualTo(Role.CREATOR);

            server.kill();
            await().atMost(creatorTtl.plusSeconds(1)).until(() -> ids.role() == Role.CONSUMER);
            await().atMost(Duration.ofSeconds(1)).until(() -> changes.contains("CREATOR->CONSUMER"));
            server.restart();

            await().atMost(RECOVERS_WITHIN).until(() -> ids.role() == Role.CREATOR);
            assertThat(changes).containsExactly("CREATOR->CONSUMER", "CONSUMER->CREATOR");
            assertThat(ids.stats().creatorId()).isEqualTo("instance-a");
        }
    }

    @Test
    void aFailedHeartbeatLeavesTheCreatorRoleToRunOutByTheLocalClock() {
        RedisIdAllocator ids = allocator();
        server.kill();

        assertThatThrownBy(ids::heartbeat).isInstanceOf(IdAllocatorException.class);

        assertThat(ids.role()).isEqualTo(Role.CREATOR);
    }
}
