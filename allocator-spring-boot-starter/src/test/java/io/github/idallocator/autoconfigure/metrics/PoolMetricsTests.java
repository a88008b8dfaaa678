package io.github.idallocator.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.micrometer.ObservedResourcePool;
import io.github.idallocator.micrometer.PoolMeterBinder;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.Unhealthy;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class PoolMetricsTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    PoolMetricsTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis,
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        PoolAutoConfiguration.class,
                        IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues("idallocator.pools.proxies.resources=proxy-1,proxy-2");
    }

    @Test
    void acquisitionsAreTimedAndReleasesCountedByOutcome() {
        runner.run(context -> {
            ResourcePool pool = context.getBean(ResourcePool.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            pool.tryAcquire().orElseThrow().release();
            ResourceLease first = pool.tryAcquire().orElseThrow();
            pool.tryAcquire().orElseThrow().release(Unhealthy.of(Duration.ofMinutes(1), "connection refused"));
            first.close();

            assertThat(pool).isInstanceOf(ObservedResourcePool.class);
            assertThat(meters.get(ObservedResourcePool.ACQUIRE)
                            .tag("pool", "proxies")
                            .tag("outcome", "acquired")
                            .timer()
                            .count())
                    .isEqualTo(3);
            assertThat(meters.get(ObservedResourcePool.RELEASE)
                            .tag("pool", "proxies")
                            .tag("outcome", "released")
                            .counter()
                            .count())
                    .isEqualTo(3);
            assertThat(meters.get(ObservedResourcePool.UNHEALTHY)
                            .tag("pool", "proxies")
                            .counter()
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void theGaugesShowThePoolsTotalsAndThisInstancesLeases() {
        runner.run(context -> {
            context.getBean(ResourcePool.class).tryAcquire().orElseThrow();
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(gauge(meters, PoolMeterBinder.HELD)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(gauge(meters, PoolMeterBinder.RESOURCES)).isEqualTo(2);
                assertThat(gauge(meters, PoolMeterBinder.AVAILABLE)).isEqualTo(1);
                assertThat(gauge(meters, PoolMeterBinder.LEASES)).isEqualTo(1);
            });
        });
    }

    @Test
    void closingTheContextStopsTheGaugesThread() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PoolMeterBinder.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> meterThreads() >= 1);
            long before = meterThreads();

            context.close();

            await().atMost(Duration.ofSeconds(5)).until(() -> meterThreads() == before - 1);
        });
    }

    @Test
    void anApplicationsOwnPoolGetsTheGaugesButIsNotWrapped() {
        runner.withUserConfiguration(OwnPool.class).run(context -> {
            ResourcePool pool = context.getBean(ResourcePool.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            pool.add("slot-1");

            pool.tryAcquire().orElseThrow();

            assertThat(pool).isInstanceOf(RedisResourcePool.class);
            assertThat(meters.get(PoolMeterBinder.HELD)
                            .tag("pool", pool.name())
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(meters.find(ObservedResourcePool.ACQUIRE).timers()).isEmpty();
        });
    }

    @Test
    void withoutPoolsThereAreNoPoolMeters() {
        runner.withPropertyValues("idallocator.pools.proxies.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PoolMeterBinder.class);
            assertThat(context).doesNotHaveBean(ObservingResourcePoolDecorator.class);
            assertThat(context.getBean(MeterRegistry.class)
                            .find(PoolMeterBinder.HELD)
                            .gauges())
                    .isEmpty();
        });
    }

    @Test
    void withoutAMeterRegistryThePoolIsNotWrapped() {
        TestContexts.withRedis(redis, PoolAutoConfiguration.class, IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues("idallocator.pools.proxies.resources=proxy-1")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MeterRegistry.class);
                    assertThat(context.getBean(ResourcePool.class)).isInstanceOf(RedisResourcePool.class);
                });
    }

    @Test
    void withoutMicrometerThePoolWorksUnwrapped() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(PoolMeterBinder.class);
            assertThat(context).doesNotHaveBean(ObservingResourcePoolDecorator.class);
            ResourcePool pool = context.getBean(ResourcePool.class);
            assertThat(pool).isInstanceOf(RedisResourcePool.class);
            assertThat(pool.tryAcquire()).isPresent();
            assertThat(context.getBean(ResourcePools.class).names()).containsExactly("proxies");
        });
    }

    private static long meterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("idallocator-pool-meters-"))
                .count();
    }

    private static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).tag("pool", "proxies").gauge().value();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {

        @Bean(destroyMethod = "close")
        RedisResourcePool ownPool(RedisConnectionFactory connectionFactory) {
            return RedisResourcePool.createOrAttach(
                    connectionFactory,
                    PoolConfig.builder("own-" + java.util.UUID.randomUUID()).build(),
                    "own-instance");
        }
    }
}
