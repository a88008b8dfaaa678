package io.github.idallocator.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.micrometer.IdAllocatorMeterBinder;
import io.github.idallocator.micrometer.ObservedIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@WithRedisServer
class IdAllocatorMetricsTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    IdAllocatorMetricsTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis,
                        ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.allocators.orders.max-id=3",
                        "idallocator.allocators.orders.reuse-delay=0",
                        "idallocator.metrics.refresh-interval=100ms");
    }

    @Test
    void countsAllocationsBySuccessExhaustionAndTakenIds() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            orders.allocate(3);
            orders.reserve(0);
            orders.allocate();
            assertThatExceptionOfType(IdsExhaustedException.class).isThrownBy(orders::allocate);

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(allocations(meters, "success")).isEqualTo(2);
            assertThat(allocations(meters, "taken")).isEqualTo(1);
            assertThat(allocations(meters, "exhausted")).isEqualTo(1);
            assertThat(allocations(meters, "error")).isZero();
        });
    }

    @Test
    void timesEveryOperationThroughTheObservationApi() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            Lease lease = orders.allocate();
            orders.extendTtl(lease, Duration.ofMinutes(1));
            orders.free(lease);

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            for (String operation : new String[] {"allocate", "extend", "free"}) {
                assertThat(meters.get("idallocator.operations")
                                .tag("allocator", "orders")
                                .tag("operation", operation)
                                .tag("outcome", "success")
                                .timer()
                                .count())
                        .as(operation)
                        .isEqualTo(1);
            }
        });
    }

    @Test
    void eachOperationIsOneObservationWithAllocatorOperationAndOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> observations).run(context -> {
            context.getBean(IdAllocator.class).allocateRange(2);

            assertThat(observations)
                    .hasSingleObservationThat()
                    .hasNameEqualTo("idallocator.operations")
                    .hasContextualNameEqualTo("idallocator allocate-range")
                    .hasLowCardinalityKeyValue("allocator", "orders")
                    .hasLowCardinalityKeyValue("operation", "allocate-range")
                    .hasLowCardinalityKeyValue("outcome", "success")
                    .hasBeenStopped();
        });
    }

    @Test
    void countsLeasesEndedThroughThisInstance() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            Lease lease = orders.allocate();
            orders.allocate(2);
            orders.free(lease);
            orders.free(lease);
            orders.freeAllOwned();

            assertThat(context.getBean(MeterRegistry.class)
                            .get("idallocator.frees")
                            .tag("allocator", "orders")
                            .counter()
                            .count())
                    .isEqualTo(3);
        });
    }

    @Test
    void aBatchFreeIsOneObservationAndCountsEachLeaseItEnded() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> observations).run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            List<Lease> leases = orders.allocate(3);
            observations.clear();

            assertThat(orders.free(leases)).isEqualTo(3);

            assertThat(observations)
                    .hasSingleObservationThat()
                    .hasLowCardinalityKeyValue("operation", "free-many")
                    .hasLowCardinalityKeyValue("outcome", "success");
            assertThat(context.getBean(MeterRegistry.class)
                            .get("idallocator.frees")
                            .tag("allocator", "orders")
                            .counter()
                            .count())
                    .isEqualTo(3);
        });
    }

    @Test
    void gaugesAllocatedAvailableUtilisationAndWhetherThisInstanceIsCreator() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(gauge(meters, "idallocator.ids.allocated"))
                            .isEqualTo(3));
            assertThat(gauge(meters, "idallocator.ids.available")).isEqualTo(1);
            assertThat(gauge(meters, "idallocator.utilisation")).isEqualTo(0.75);
            assertThat(gauge(meters, "idallocator.creator")).isEqualTo(1);
        });
    }

    @Test
    void theGaugesAreReadInTheBackgroundEveryRefreshInterval() {
        runner.withPropertyValues("idallocator.metrics.refresh-interval=1h").run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(3)).until(() -> gauge(meters, "idallocator.ids.allocated") == 0);

            context.getBean(IdAllocator.class).allocate(3);
            Thread.sleep(500);

            assertThat(gauge(meters, "idallocator.ids.allocated")).isZero();
            assertThat(meterThreads()).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> meterThreads() == 0);
    }

    @Test
    void countsLeasesReclaimedByExpiry() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            orders.allocate(2, Duration.ofMillis(1));
            Thread.sleep(10);
            orders.cleanupExpired();
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(meters.get("idallocator.leases.reclaimed")
                                    .tag("allocator", "orders")
                                    .functionCounter()
                                    .count())
                            .isEqualTo(2));
        });
    }

    @Test
    void allocatorsWorkWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(IdAllocatorMeterBinder.class);
            IdAllocator orders = context.getBean(IdAllocator.class);
            assertThat(orders.getClass().getSimpleName()).isEqualTo("RedisIdAllocator");
            assertThat(orders.allocate().id()).isZero();
        });
    }

    @Test
    void allocatorsAreObservedWithTheNoopRegistryWhenTheApplicationHasNoRegistryBeans() {
        TestContexts.withRedis(redis, IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues("idallocator.allocators.orders.max-id=3")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MeterRegistry.class);
                    IdAllocator orders = context.getBean(IdAllocator.class);
                    assertThat(orders).isInstanceOf(ObservedIdAllocator.class);
                    assertThat(orders.allocate().id()).isZero();
                });
    }

    private static double allocations(MeterRegistry meters, String outcome) {
        return meters.get("idallocator.allocations")
                .tag("allocator", "orders")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private static long meterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("idallocator-allocator-meters-"))
                .count();
    }

    private static double gauge(MeterRegistry meters, String name) {
        RequiredSearch search = meters.get(name).tag("allocator", "orders");
        return search.gauge().value();
    }
}
