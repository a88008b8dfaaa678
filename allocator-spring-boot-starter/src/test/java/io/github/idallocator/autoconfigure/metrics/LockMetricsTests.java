package io.github.idallocator.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.LockTimeoutException;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.micrometer.LockMeterBinder;
import io.github.idallocator.micrometer.ObservedLockService;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class LockMetricsTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    LockMetricsTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis,
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        LockAutoConfiguration.class,
                        IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues("idallocator.locks.namespace=jobs");
    }

    @Test
    void acquisitionsAreTimedByOutcomeAndWaitsSeparately() {
        runner.run(context -> {
            LockService locks = context.getBean(LockService.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            try (RedisLockService other =
                    RedisLockService.create(context.getBean(RedisConnectionFactory.class), locks.config())) {

                locks.tryAcquire("nightly").orElseThrow().release();
                other.tryAcquire("nightly").orElseThrow();
                assertThat(locks.tryAcquire("nightly")).isEmpty();
                assertThatExceptionOfType(LockTimeoutException.class)
                        .isThrownBy(() -> locks.acquire("nightly", Duration.ofMillis(200)));
            }

            assertThat(locks).isInstanceOf(ObservedLockService.class);
            assertThat(timer(meters, ObservedLockService.ACQUIRE, "acquired")).isEqualTo(1);
            assertThat(timer(meters, ObservedLockService.ACQUIRE, "timeout")).isEqualTo(2);
            assertThat(timer(meters, ObservedLockService.ACQUIRE, "error")).isZero();
            assertThat(timer(meters, ObservedLockService.WAIT, "timeout")).isEqualTo(1);
            assertThat(meters.get(ObservedLockService.WAIT)
                            .tag("outcome", "timeout")
                            .timer()
                            .totalTime(TimeUnit.MILLISECONDS))
                    .isGreaterThanOrEqualTo(150.0);
        });
    }

    @Test
    void theHeldGaugeCountsTheLocksHeldNow() {
        runner.run(context -> {
            LockService locks = context.getBean(LockService.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            LockLease lease = locks.tryAcquire("nightly").orElseThrow();
            locks.tryAcquire("hourly").orElseThrow();
            assertThat(held(meters)).isEqualTo(2);

            lease.release();
            assertThat(held(meters)).isEqualTo(1);
        });
    }

    @Test
    void aLeaseLostToAnExpiredKeyIsCounted() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.locks.lease-time=300ms")
                .run(context -> {
                    LockLease lease = context.getBean(LockService.class)
                            .tryAcquire("nightly")
                            .orElseThrow();
                    MeterRegistry meters = context.getBean(MeterRegistry.class);

                    redis.command("DEL", prefix + ":{jobs:nightly}:lock");

                    await().atMost(Duration.ofSeconds(3)).until(() -> lost(meters) == 1);
                    assertThat(lease.isHeld()).isFalse();
                    assertThat(held(meters)).isZero();
                });
    }

    @Test
    void anApplicationsOwnLockServiceGetsTheHeldAndLostMetersButIsNotWrapped() {
        runner.withUserConfiguration(OwnLockService.class).run(context -> {
            LockService locks = context.getBean(LockService.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            locks.tryAcquire("nightly").orElseThrow();

            assertThat(locks).isInstanceOf(RedisLockService.class);
            assertThat(context).hasSingleBean(LockMeterBinder.class);
            assertThat(meters.get(LockMeterBinder.HELD)
                            .tag("namespace", "own")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(meters.find(ObservedLockService.ACQUIRE).timers()).isEmpty();
        });
    }

    @Test
    void withLocksDisabledThereAreNoLockMeters() {
        runner.withPropertyValues("idallocator.locks.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(LockMeterBinder.class);
            assertThat(context).doesNotHaveBean(ObservingLockServiceDecorator.class);
            assertThat(context.getBean(MeterRegistry.class)
                            .find(LockMeterBinder.HELD)
                            .gauges())
                    .isEmpty();
        });
    }

    private static long timer(MeterRegistry meters, String name, String outcome) {
        return meters.get(name)
                .tag("namespace", "jobs")
                .tag("outcome", outcome)
                .timer()
                .count();
    }

    private static double held(MeterRegistry meters) {
        return meters.get(LockMeterBinder.HELD).tag("namespace", "jobs").gauge().value();
    }

    private static double lost(MeterRegistry meters) {
        return meters.get(LockMeterBinder.LOST)
                .tag("namespace", "jobs")
                .functionCounter()
                .count();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLockService {

        @Bean(destroyMethod = "close")
        RedisLockService ownLocks(RedisConnectionFactory connectionFactory) {
            return RedisLockService.create(
                    connectionFactory, LockConfig.builder("own").build());
        }
    }
}
