package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.PoolTimeoutException;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.Removal;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.Unhealthy;
import io.github.idallocator.test.WithRedisServer;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The pool timers, counters and gauges on a plain application: core, Micrometer and real Redis, no Spring Boot. */
@WithRedisServer
class PoolMetersTest {

    private static final Duration REFRESH = Duration.ofMillis(100);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private LettuceConnectionFactory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        factory = connect(redis.port());
        name = "pool-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        factory.destroy();
    }

    @Test
    void anAcquisitionFromAFreeResourceIsTimedAsAcquiredAndDidNotWait() {
        ResourcePool pool = observed(pool("proxy-1"));

        try (ResourceLease lease = pool.acquire(Duration.ofSeconds(1))) {
            assertThat(lease.isHeld()).isTrue();
        }

        assertThat(acquire("acquired").count()).isEqualTo(1);
        assertThat(acquire("timeout").count()).isZero();
        assertThat(waits("acquired").count()).isZero();
    }

    @Test
    void aPoolWithNoFreeResourceIsATimeoutForACallThatDoesNotWait() {
        RedisResourcePool other = pool("proxy-1");
        ResourcePool pool = observed(pool());
        other.tryAcquire().orElseThrow();

        assertThat(pool.tryAcquire()).isEmpty();

        assertThat(acquire("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").count()).isZero();
    }

    @Test
    void anAcquisitionThatWaitedForAReleaseIsTimedInBothTimersAsAcquired() throws Exception {
        RedisResourcePool other = pool("proxy-1");
        ResourcePool pool = observed(pool());
        ResourceLease held = other.tryAcquire().orElseThrow();
        CompletableFuture<ReleaseOutcome> released = CompletableFuture.supplyAsync(() -> {
            sleep(300);
            return held.release();
        });

        try (ResourceLease lease = pool.acquire(Duration.ofSeconds(5))) {
            assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
        }

        assertThat(released.get()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(acquire("acquired").count()).isEqualTo(1);
        assertThat(waits("acquired").count()).isEqualTo(1);
        assertThat(waits("acquired").totalTime(TimeUnit.MILLISECONDS)).isBetween(200.0, 4000.0);
        assertThat(acquire("acquired").totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(waits("acquired").totalTime(TimeUnit.MILLISECONDS));
    }

    @Test
    void anAcquisitionThatWaitedInVainIsTimedInBothTimersAsATimeout() {
        RedisResourcePool other = pool("proxy-1");
        ResourcePool pool = observed(pool());
        other.tryAcquire().orElseThrow();

        assertThatExceptionOfType(PoolTimeoutException.class).isThrownBy(() -> pool.acquire(Duration.ofMillis(300)));

        assertThat(acquire("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").totalTime(TimeUnit.MILLISECONDS)).isBetween(200.0, 3000.0);
    }

    @Test
    void invalidInputIsTimedAsInvalid() {
        ResourcePool pool = observed(pool("proxy-1"));

        assertThatExceptionOfType(InvalidArgumentException.class)
                .isThrownBy(() -> pool.tryAcquire(Duration.ofSeconds(-1), AcquireOptions.defaults()));
        assertThatExceptionOfType(InvalidArgumentException.class)
                .isThrownBy(() -> pool.tryAcquire(AcquireOptions.defaults().preferBound("a b")));

        assertThat(acquire("invalid").count()).isEqualTo(2);
        assertThat(acquire("error").count()).isZero();
        assertThat(acquire("acquired").count()).isZero();
    }

    @Test
    void releasesMadeOnTheLeaseAreCountedByOutcome() {
        ResourcePool pool = observed(pool("proxy-1", "proxy-2", "proxy-3"));
        ResourceLease released = pool.tryAcquire().orElseThrow();
        ResourceLease closed = pool.tryAcquire().orElseThrow();
        ResourceLease revoked = pool.tryAcquire().orElseThrow();

        released.release();
        closed.close();
        pool.remove(revoked.resource(), Removal.FORCE);
        assertThat(revoked.release()).isEqualTo(ReleaseOutcome.REVOKED);

        assertThat(release("released")).isEqualTo(2);
        assertThat(release("revoked")).isEqualTo(1);
        assertThat(release("expired")).isZero();
        assertThat(release("error")).isZero();
    }

    @Test
    void aLeaseReleasedAfterItExpiredIsCountedAsExpired() {
        ResourcePool pool = observed(pool("proxy-1"));
        ResourceLease lease = pool.tryAcquire(AcquireOptions.defaults()
                        .leaseTime(Duration.ofMillis(100))
                        .autoRenew(false))
                .orElseThrow();
        await().atMost(Duration.ofSeconds(3)).until(() -> !lease.isHeld());
        sleep(200);

        assertThat(lease.release()).isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);

        assertThat(release("expired")).isEqualTo(1);
        assertThat(release("released")).isZero();
    }

    @Test
    void aLeaseReleasedTwiceIsCountedOnce() {
        ResourcePool pool = observed(pool("proxy-1"));

        try (ResourceLease lease = pool.tryAcquire().orElseThrow()) {
            lease.release();
        }

        assertThat(release("released")).isEqualTo(1);
    }

    @Test
    void anUnhealthyReleaseIsCountedAsReleasedAndUnhealthy() {
        ResourcePool pool = observed(pool("proxy-1"));

        pool.tryAcquire().orElseThrow().release(Unhealthy.of(Duration.ofMinutes(1), "connection refused"));

        assertThat(release("released")).isEqualTo(1);
        assertThat(meters.get(ObservedResourcePool.UNHEALTHY)
                        .tag("pool", name)
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aLeaseAcquiredThroughTheWrapperIsThePoolsOwn() {
        RedisResourcePool pool = pool("proxy-1");
        ResourcePool observed = observed(pool);

        ResourceLease lease = observed.tryAcquire().orElseThrow();

        assertThat(pool.heldLeases()).containsExactly(lease);
        assertThat(observed.heldLeases()).containsExactly(lease);
        assertThat(lease.owner()).startsWith(pool.instanceId() + ":");
    }

    @Test
    void theGaugesShowThePoolsTotalsFromTheBackgroundRead() {
        RedisResourcePool pool = pool("proxy-1", "proxy-2", "proxy-3", "proxy-4");
        bind(pool);
        List<String> free = new ArrayList<>(List.of("proxy-1", "proxy-2", "proxy-3", "proxy-4"));
        free.remove(pool.tryAcquire().orElseThrow().resource());
        pool.quarantine(free.get(0), Duration.ofMinutes(1), "timeouts");
        pool.remove(free.get(1), Removal.DRAIN);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(PoolMeterBinder.RESOURCES)).isEqualTo(3);
            assertThat(gauge(PoolMeterBinder.LEASES)).isEqualTo(1);
            assertThat(gauge(PoolMeterBinder.AVAILABLE)).isEqualTo(1);
            assertThat(gauge(PoolMeterBinder.QUARANTINED)).isEqualTo(1);
            assertThat(gauge(PoolMeterBinder.DRAINING)).isZero();
            assertThat(gauge(PoolMeterBinder.WAITERS)).isZero();
        });
        assertThat(gauge(PoolMeterBinder.SNAPSHOT_AGE)).isBetween(0.0, 5.0);
    }

    @Test
    void theWaitersGaugeCountsCallersWaitingOnAnyInstance() {
        RedisResourcePool pool = pool("proxy-1");
        RedisResourcePool other = pool();
        bind(pool);
        pool.tryAcquire().orElseThrow();

        CompletableFuture<?> waiting =
                CompletableFuture.runAsync(() -> other.tryAcquire(Duration.ofSeconds(3), AcquireOptions.defaults()));

        await().atMost(Duration.ofSeconds(3)).until(() -> gauge(PoolMeterBinder.WAITERS) == 1);
        waiting.join();
    }

    @Test
    void theHeldGaugeCountsThisInstancesLeasesOnly() {
        RedisResourcePool pool = pool("proxy-1", "proxy-2", "proxy-3");
        RedisResourcePool other = pool();
        bind(pool);

        ResourceLease first = pool.tryAcquire().orElseThrow();
        pool.tryAcquire().orElseThrow();
        other.tryAcquire().orElseThrow();
        assertThat(gauge(PoolMeterBinder.HELD)).isEqualTo(2);

        first.release();
        assertThat(gauge(PoolMeterBinder.HELD)).isEqualTo(1);
    }

    @Test
    void theLostCounterCountsALeaseWhoseRenewalIsRefused() {
        RedisResourcePool pool =
                pool(PoolConfig.builder(name).leaseTime(Duration.ofMillis(300)).build(), "proxy-1");
        bind(pool);
        ResourceLease lease = pool.tryAcquire().orElseThrow();

        pool.remove("proxy-1", Removal.FORCE);

        await().atMost(Duration.ofSeconds(3)).until(() -> lost() == 1);
        assertThat(lease.isHeld()).isFalse();
        assertThat(gauge(PoolMeterBinder.HELD)).isZero();
    }

    @Test
    void aScrapeNeverWaitsForAPausedRedisAndTheTotalsTurnNaNOnceItsReadFails() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            LettuceConnectionFactory ownFactory = connect(own.port());
            closing.add(ownFactory::destroy);
            RedisResourcePool pool = RedisResourcePool.createOrAttach(
                    ownFactory, PoolConfig.builder(name).build(), "instance-a");
            closing.add(pool);
            pool.add("proxy-1");
            bind(pool);
            pool.tryAcquire().orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(PoolMeterBinder.LEASES) == 1);

            own.pause();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                    for (int i = 0; i < 20; i++) {
                        gauge(PoolMeterBinder.LEASES);
                        gauge(PoolMeterBinder.AVAILABLE);
                        gauge(PoolMeterBinder.HELD);
                        Thread.sleep(20);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> Double.isNaN(gauge(PoolMeterBinder.LEASES)));
                assertThat(gauge(PoolMeterBinder.SNAPSHOT_AGE)).isGreaterThan(1.0);
                assertThat(gauge(PoolMeterBinder.HELD)).isEqualTo(1);
            } finally {
                own.resume();
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(PoolMeterBinder.LEASES) == 1);
        }
    }

    @Test
    void closingTheBinderStopsItsThread() {
        PoolMeterBinder binder = new PoolMeterBinder(List.of(pool("proxy-1")), REFRESH);
        binder.bindTo(meters);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 1);

        binder.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 0);
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("idallocator-pool-meters-"))
                .count();
    }

    private static LettuceConnectionFactory connect(int port) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(RedisServerProcess.HOST, port),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofSeconds(2))
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                .build())
                        .build());
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    /** A pool instance of its own (as another process would have), holding {@code resources}. */
    private RedisResourcePool pool(String... resources) {
        return pool(PoolConfig.builder(name).build(), resources);
    }

    private RedisResourcePool pool(PoolConfig config, String... resources) {
        RedisResourcePool pool = RedisResourcePool.createOrAttach(factory, config, "instance-" + UUID.randomUUID());
        closing.add(pool);
        for (String resource : resources) {
            pool.add(resource);
        }
        return pool;
    }

    private ResourcePool observed(ResourcePool pool) {
        return ObservedResourcePool.decorate(pool, meters);
    }

    private void bind(ResourcePool pool) {
        PoolMeterBinder binder = new PoolMeterBinder(List.of(pool), REFRESH);
        closing.add(binder);
        binder.bindTo(meters);
    }

    private Timer acquire(String outcome) {
        return meters.get(ObservedResourcePool.ACQUIRE)
                .tag("pool", name)
                .tag("outcome", outcome)
                .timer();
    }

    private Timer waits(String outcome) {
        return meters.get(ObservedResourcePool.WAIT)
                .tag("pool", name)
                .tag("outcome", outcome)
                .timer();
    }

    private double release(String outcome) {
        return meters.get(ObservedResourcePool.RELEASE)
                .tag("pool", name)
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double gauge(String meter) {
        return meters.get(meter).tag("pool", name).gauge().value();
    }

    private double lost() {
        return meters.get(PoolMeterBinder.LOST)
                .tag("pool", name)
                .functionCounter()
                .count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
