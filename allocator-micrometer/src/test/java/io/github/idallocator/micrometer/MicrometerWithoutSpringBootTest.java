package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The meters and observations on a plain application: core, Micrometer and Redis, no Spring Boot. */
@WithRedisServer
class MicrometerWithoutSpringBootTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private LettuceConnectionFactory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        name = "micrometer-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
    }

    @Test
    void springBootIsNotOnTheClassPath() {
        assertThatExceptionOfType(ClassNotFoundException.class)
                .isThrownBy(() -> Class.forName("org.springframework.boot.SpringApplication"));
    }

    @Test
    void theObservedAllocatorCountsAllocationsByOutcome() {
        IdAllocator orders = ObservedIdAllocator.decorate(allocator(1), ObservationRegistry.NOOP, meters);

        orders.allocate(2);
        orders.reserve(0);
        assertThatExceptionOfType(IdsExhaustedException.class).isThrownBy(orders::allocate);

        assertThat(allocations("success")).isEqualTo(1);
        assertThat(allocations("taken")).isEqualTo(1);
        assertThat(allocations("exhausted")).isEqualTo(1);
        assertThat(allocations("error")).isZero();
    }

    @Test
    void theObservedAllocatorTimesOperationsWithAMeterObservationHandler() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        IdAllocator orders = ObservedIdAllocator.decorate(allocator(9), observations, meters);

        orders.free(orders.allocate());

        for (String operation : List.of("allocate", "free")) {
            assertThat(meters.get(ObservedIdAllocator.OPERATIONS)
                            .tag("allocator", name)
                            .tag("operation", operation)
                            .tag("outcome", "success")
                            .timer()
                            .count())
                    .as(operation)
                    .isEqualTo(1);
        }
        assertThat(meters.get(ObservedIdAllocator.FREES)
                        .tag("allocator", name)
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aCallRejectedForItsArgumentsIsCountedAndTimedAsInvalidNotAsAnError() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        IdAllocator orders = ObservedIdAllocator.decorate(allocator(9), observations, meters);

        assertThatExceptionOfType(InvalidArgumentException.class).isThrownBy(() -> orders.allocate(0));
        assertThatExceptionOfType(InvalidArgumentException.class).isThrownBy(() -> orders.freeRange(5, 2));

        assertThat(allocations("invalid")).isEqualTo(1);
        assertThat(allocations("error")).isZero();
        for (String operation : List.of("allocate", "free-range")) {
            assertThat(meters.get(ObservedIdAllocator.OPERATIONS)
                            .tag("operation", operation)
                            .tag("outcome", "invalid")
                            .timer()
                            .count())
                    .as(operation)
                    .isEqualTo(1);
        }
        assertThat(meters.find(ObservedIdAllocator.OPERATIONS)
                        .tag("outcome", "error")
                        .timers())
                .isEmpty();
        assertThat(meters.get(ObservedIdAllocator.OPERATIONS + ".active")
                        .tag("operation", "allocate")
                        .longTaskTimer()
                        .activeTasks())
                .isZero();
    }

    @Test
    void theObservedAllocatorObservesWithoutAMeterRegistry() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        IdAllocator orders = ObservedIdAllocator.decorate(allocator(9), observations, null);

        orders.allocateRange(2);

        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo(ObservedIdAllocator.OPERATIONS)
                .hasContextualNameEqualTo("idallocator allocate-range")
                .hasLowCardinalityKeyValue("allocator", name)
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasBeenStopped();
    }

    @Test
    void theAllocatorBinderGaugesIdsFromRedis() {
        IdAllocator orders = allocator(3);
        orders.allocate(3);

        try (IdAllocatorMeterBinder binder = new IdAllocatorMeterBinder(List.of(orders))) {
            binder.bindTo(meters);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge("idallocator.ids.allocated")).isEqualTo(3);
                assertThat(gauge("idallocator.ids.available")).isEqualTo(1);
                assertThat(gauge("idallocator.utilisation")).isEqualTo(0.75);
            });
        }
    }

    @Test
    void theSnowflakeBinderGaugesTheLeasedWorkerIdAndCountsIds() {
        IdAllocator workers = allocator(1023);
        workers.allocate(4);
        SnowflakeIdGenerator generator =
                SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
        WorkerIdLease lease =
                new WorkerIdLease(workers, generator, WorkerLeaseSettings.DEFAULT, System::currentTimeMillis);
        lease.acquire();
        try {
            new SnowflakeMeterBinder(generator, lease).bindTo(meters);
            generator.nextIds(3);

            assertThat(meters.get("idallocator.snowflake.worker.id").gauge().value())
                    .isEqualTo(4);
            assertThat(meters.get("idallocator.snowflake.lease.valid").gauge().value())
                    .isEqualTo(1);
            assertThat(meters.get("idallocator.snowflake.ids").functionCounter().count())
                    .isEqualTo(3);
        } finally {
            lease.close();
        }
    }

    @Test
    void theSequenceBinderCountsIdsHandedOut() {
        try (RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                factory,
                SequenceConfig.builder(name)
                        .step(10)
                        .recoveryPeriod(Duration.ZERO)
                        .build())) {
            new SequenceMeterBinder(List.of(sequence)).bindTo(meters);

            sequence.next(5);

            assertThat(meters.get("idallocator.sequence.ids")
                            .tag("sequence", name)
                            .functionCounter()
                            .count())
                    .isEqualTo(5);
            assertThat(meters.get("idallocator.sequence.position")
                            .tag("sequence", name)
                            .gauge()
                            .value())
                    .isEqualTo(5);
        }
    }

    private IdAllocator allocator(long maxId) {
        return RedisIdAllocator.createOrAttach(
                factory,
                IdAllocatorConfig.builder(name, 0, maxId)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "instance-a");
    }

    private double allocations(String outcome) {
        return meters.get(ObservedIdAllocator.ALLOCATIONS)
                .tag("allocator", name)
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double gauge(String meter) {
        return meters.get(meter).tag("allocator", name).gauge().value();
    }
}
