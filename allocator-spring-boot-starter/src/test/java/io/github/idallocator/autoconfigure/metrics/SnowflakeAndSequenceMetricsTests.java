package io.github.idallocator.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.micrometer.SnowflakeMeterBinder;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.snowflake.ClockMovedBackwardsException;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@WithRedisServer
class SnowflakeAndSequenceMetricsTests {

    private final ApplicationContextRunner runner;

    SnowflakeAndSequenceMetricsTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(
                        redis,
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.worker-id-min=4",
                        "idallocator.sequences.orders.step=10",
                        "idallocator.sequences.orders.max-step=10",
                        "idallocator.sequences.orders.recovery-period=0");
    }

    @Test
    void countsSnowflakeIdsAndGaugesTheWorkerIdAndTheLeaseValidity() {
        runner.run(context -> {
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            generator.nextId();
            generator.nextIds(9);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(meters.get("idallocator.snowflake.ids").functionCounter().count())
                    .isEqualTo(10);
            assertThat(meters.get("idallocator.snowflake.worker.id").gauge().value())
                    .isEqualTo(4);
            assertThat(meters.get("idallocator.snowflake.lease.valid").gauge().value())
                    .isEqualTo(1);
            assertThat(meters.get("idallocator.snowflake.lease.renewal.age")
                            .gauge()
                            .value())
                    .isBetween(0.0, 10.0);
        });
    }

    @Test
    void countsCallsRefusedWithoutAValidLease() {
        runner.run(context -> {
            context.getBean(IdAllocatorLifecycle.class).stop();
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            assertThatExceptionOfType(WorkerLeaseLostException.class).isThrownBy(generator::nextId);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(meters.get("idallocator.snowflake.lease.lost")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("idallocator.snowflake.lease.valid").gauge().value())
                    .isZero();
            assertThat(meters.get("idallocator.snowflake.worker.id").gauge().value())
                    .isEqualTo(-1);
        });
    }

    @Test
    void gaugesNoWorkerIdOnceTheLeaseCouldNotBeRenewedInTime() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withSnowflake(
                            own,
                            MetricsAutoConfiguration.class,
                            SimpleMetricsExportAutoConfiguration.class,
                            CompositeMeterRegistryAutoConfiguration.class,
                            IdAllocatorMetricsAutoConfiguration.class)
                    .withPropertyValues("spring.data.redis.timeout=200ms")
                    .run(context -> {
                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                        assertThat(meters.get("idallocator.snowflake.worker.id")
                                        .gauge()
                                        .value())
                                .isZero();
                        own.kill();

                        await().atMost(Duration.ofSeconds(3))
                                .until(() -> meters.get("idallocator.snowflake.lease.valid")
                                                .gauge()
                                                .value()
                                        == 0);

                        assertThat(meters.get("idallocator.snowflake.worker.id")
                                        .gauge()
                                        .value())
                                .isEqualTo(-1);
                    });
        }
    }

    @Test
    void countsClockStepsBackWaitedOutAndFailed() {
        runner.withUserConfiguration(SteppedClock.class).run(context -> {
            SteppedClock clock = context.getBean(SteppedClock.class);
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            generator.nextId();
            clock.offset.set(-3);
            generator.nextId();
            clock.offset.set(-1000);
            assertThatExceptionOfType(ClockMovedBackwardsException.class).isThrownBy(generator::nextId);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(clockBackwards(meters, "waited")).isPositive();
            assertThat(clockBackwards(meters, "failed")).isEqualTo(1);
        });
    }

    @Test
    void countsSequenceIdsReservedIdsSegmentsAndRepairs() {
        runner.run(context -> {
            SequenceAllocator orders = context.getBean(SequenceAllocator.class);
            orders.next(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(sequenceCounter(meters, "idallocator.sequence.ids")).isEqualTo(3);
            assertThat(sequenceCounter(meters, "idallocator.sequence.reserved")).isEqualTo(10);
            assertThat(sequenceCounter(meters, "idallocator.sequence.segments")).isEqualTo(1);
            assertThat(sequenceCounter(meters, "idallocator.sequence.repairs")).isZero();
        });
    }

    @Test
    void gaugesTheSequencePositionHighWaterMarkStepAndRefillLatency() {
        runner.run(context -> {
            context.getBean(SequenceAllocator.class).next(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(sequenceGauge(meters, "idallocator.sequence.position")).isEqualTo(3);
            assertThat(sequenceGauge(meters, "idallocator.sequence.high.water.mark"))
                    .isEqualTo(10);
            assertThat(sequenceGauge(meters, "idallocator.sequence.step")).isEqualTo(10);
            assertThat(sequenceGauge(meters, "idallocator.sequence.refill.latency"))
                    .isPositive()
                    .isLessThan(2);
        });
    }

    @Test
    void noSnowflakeMetersWhileTheGeneratorIsOff() {
        runner.withPropertyValues("idallocator.snowflake.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(SnowflakeMeterBinder.class);
            assertThat(context.getBean(MeterRegistry.class)
                            .find("idallocator.snowflake.ids")
                            .meter())
                    .isNull();
        });
    }

    private static double clockBackwards(MeterRegistry meters, String outcome) {
        return meters.get("idallocator.snowflake.clock.backwards")
                .tag("outcome", outcome)
                .functionCounter()
                .count();
    }

    private static double sequenceCounter(MeterRegistry meters, String name) {
        return meters.get(name).tag("sequence", "orders").functionCounter().count();
    }

    private static double sequenceGauge(MeterRegistry meters, String name) {
        return meters.get(name).tag("sequence", "orders").gauge().value();
    }

    /** A Snowflake worker on a wall clock the test can set back. */
    @Configuration(proxyBeanMethods = false)
    static class SteppedClock {

        final AtomicLong offset = new AtomicLong();

        @Bean
        SnowflakeWorker steppedWorker(IdAllocatorFactory factory, ApplicationEventPublisher events) {
            SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                    .wallClock(this::now)
                    .build();
            return new SnowflakeWorker(
                    generator,
                    factory.create(IdAllocatorConfig.builder("stepped-workers", 0, 3)
                            .keyPrefix(TestContexts.uniquePrefix())
                            .build()),
                    WorkerLeaseSettings.DEFAULT,
                    this::now,
                    events);
        }

        private long now() {
            return System.currentTimeMillis() + offset.get();
        }
    }
}
