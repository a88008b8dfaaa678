package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.LockTimeoutException;
import io.github.idallocator.lock.RedisLockService;
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
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The lock timers, gauge and counter on a plain application: core, Micrometer and real Redis, no Spring Boot. */
@WithRedisServer
class LockMetersTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisServerProcess redis;
    private LettuceConnectionFactory factory;
    private String namespace;
    private String prefix;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        this.redis = redis;
        factory = connect(redis.port());
        namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
        prefix = "meters-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        factory.destroy();
    }

    @Test
    void anUncontendedAcquisitionIsTimedAsAcquiredAndDidNotWait() {
        LockService locks = observed(service());

        try (LockLease lease = locks.acquire("report", Duration.ofSeconds(1))) {
            assertThat(lease.isHeld()).isTrue();
        }

        assertThat(acquire("acquired").count()).isEqualTo(1);
        assertThat(acquire("timeout").count()).isZero();
        assertThat(waits("acquired").count()).isZero();
    }

    @Test
    void aLockHeldElsewhereIsATimeoutForACallThatDoesNotWait() {
        RedisLockService other = service();
        LockService locks = observed(service());
        other.tryAcquire("report").orElseThrow();

        assertThat(locks.tryAcquire("report")).isEmpty();

        assertThat(acquire("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").count()).isZero();
    }

    @Test
    void anAcquisitionThatWaitedForAReleaseIsTimedInBothTimersAsAcquired() throws Exception {
        RedisLockService other = service();
        LockService locks = observed(service());
        LockLease held = other.tryAcquire("report").orElseThrow();
        CompletableFuture<ReleaseOutcome> released = CompletableFuture.supplyAsync(() -> {
            sleep(300);
            return held.release();
        });

        try (LockLease lease = locks.acquire("report", Duration.ofSeconds(5))) {
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
        RedisLockService other = service();
        LockService locks = observed(service());
        other.tryAcquire("report").orElseThrow();

        assertThatExceptionOfType(LockTimeoutException.class)
                .isThrownBy(() -> locks.acquire("report", Duration.ofMillis(300)));

        assertThat(acquire("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").count()).isEqualTo(1);
        assertThat(waits("timeout").totalTime(TimeUnit.MILLISECONDS)).isBetween(200.0, 3000.0);
    }

    @Test
    void invalidInputIsTimedAsInvalidAndRejectedBeforeRedis() {
        LockService locks = observed(service());

        assertThatExceptionOfType(InvalidArgumentException.class)
                .isThrownBy(() -> locks.tryAcquire("a{b}", Duration.ofSeconds(1)));
        assertThatExceptionOfType(InvalidArgumentException.class)
                .isThrownBy(() -> locks.tryAcquire("report", Duration.ofSeconds(-1)));
        assertThatExceptionOfType(InvalidArgumentException.class)
                .isThrownBy(() -> locks.tryAcquire("report", Duration.ofDays(366 * 100L)));

        assertThat(acquire("invalid").count()).isEqualTo(3);
        assertThat(acquire("error").count()).isZero();
        assertThat(redis.command("EXISTS", key("report"))).isEqualTo(0L);
    }

    @Test
    void aLeaseAcquiredThroughTheWrapperIsTheServicesOwn() {
        RedisLockService service = service();
        LockService locks = observed(service);

        LockLease lease = locks.tryAcquire("report").orElseThrow();

        assertThat(service.heldLocks()).containsExactly(lease);
        assertThat(locks.heldLocks()).containsExactly(lease);
        assertThat(lease.owner()).startsWith(service.instanceId() + ":");
        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(locks.heldLocks()).isEmpty();
        assertThat(redis.command("HEXISTS", key("report"), "owner")).isEqualTo(0L);
    }

    @Test
    void aLockIsTimedOnceAndItsReEntryNotAtAll() {
        LockService locks = observed(service());
        Lock lock = locks.asLock("report");

        lock.lock();
        lock.lock();
        assertThat(locks.asLock("report").tryLock()).isTrue();
        lock.unlock();
        lock.unlock();
        lock.unlock();

        assertThat(acquire("acquired").count()).isEqualTo(1);
        assertThat(locks.heldLocks()).isEmpty();
        assertThat(redis.command("HEXISTS", key("report"), "owner")).isEqualTo(0L);
    }

    @Test
    void aLockThatWaitsIsTimedInBothTimers() throws Exception {
        RedisLockService other = service();
        LockService locks = observed(service());
        Lock lock = locks.asLock("report");
        other.tryAcquire("report").orElseThrow();

        assertThat(lock.tryLock()).isFalse();
        assertThat(lock.tryLock(200, TimeUnit.MILLISECONDS)).isFalse();

        assertThat(acquire("timeout").count()).isEqualTo(2);
        assertThat(waits("timeout").count()).isEqualTo(1);
        other.close();
        assertThat(lock.tryLock(2, TimeUnit.SECONDS)).isTrue();
        lock.unlock();
        assertThat(acquire("acquired").count()).isEqualTo(1);
    }

    @Test
    void theHeldGaugeCountsTheLeasesHeldNow() {
        LockService locks = observed(service());
        new LockMeterBinder(locks).bindTo(meters);

        LockLease first = locks.tryAcquire("first").orElseThrow();
        locks.tryAcquire("second").orElseThrow();
        assertThat(held()).isEqualTo(2);

        first.release();
        assertThat(held()).isEqualTo(1);
    }

    @Test
    void theLostCounterCountsALeaseWhoseRenewalIsRefused() {
        LockService locks = service(LockConfig.builder(namespace)
                .keyPrefix(prefix)
                .leaseTime(Duration.ofMillis(300))
                .build());
        new LockMeterBinder(locks).bindTo(meters);
        LockLease lease = locks.tryAcquire("report").orElseThrow();

        redis.command("DEL", key("report"));

        await().atMost(Duration.ofSeconds(3)).until(() -> lost() == 1);
        assertThat(lease.isHeld()).isFalse();
        assertThat(held()).isZero();
    }

    @Test
    void theHeldGaugeAndTheLostCounterAnswerWithoutRedis() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            LettuceConnectionFactory ownFactory = connect(own.port());
            RedisLockService locks = RedisLockService.create(
                    ownFactory, LockConfig.builder(namespace).build());
            closing.add(ownFactory::destroy);
            closing.add(locks);
            new LockMeterBinder(locks).bindTo(meters);
            locks.tryAcquire("report").orElseThrow();

            own.kill();

            assertThat(held()).isEqualTo(1);
            assertThat(lost()).isZero();
        }
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

    private RedisLockService service() {
        return service(LockConfig.builder(namespace).keyPrefix(prefix).build());
    }

    private RedisLockService service(LockConfig config) {
        RedisLockService service = RedisLockService.create(factory, config);
        closing.add(service);
        return service;
    }

    private LockService observed(LockService service) {
        return ObservedLockService.decorate(service, meters);
    }

    private String key(String name) {
        return prefix + ":{" + namespace + ":" + name + "}:lock";
    }

    private Timer acquire(String outcome) {
        return meters.get(ObservedLockService.ACQUIRE)
                .tag("namespace", namespace)
                .tag("outcome", outcome)
                .timer();
    }

    private Timer waits(String outcome) {
        return meters.get(ObservedLockService.WAIT)
                .tag("namespace", namespace)
                .tag("outcome", outcome)
                .timer();
    }

    private double held() {
        return meters.get(LockMeterBinder.HELD)
                .tag("namespace", namespace)
                .gauge()
                .value();
    }

    private double lost() {
        return meters.get(LockMeterBinder.LOST)
                .tag("namespace", namespace)
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
