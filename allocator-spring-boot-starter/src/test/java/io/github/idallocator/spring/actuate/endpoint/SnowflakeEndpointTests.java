package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.snowflake.SnowflakeId;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.AllocatorsDescriptor;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.SequenceDescriptor;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint.DecodedIdDescriptor;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint.SnowflakeDescriptor;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;

/** The Snowflake and sequence sections of {@code /actuator/idallocator}, and the {@code snowflake} endpoint. */
@WithRedisServer
class SnowflakeEndpointTests {

    private final ApplicationContextRunner runner;

    SnowflakeEndpointTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator,snowflake",
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.worker-id-min=3",
                        "idallocator.snowflake.worker-id-max=9",
                        "idallocator.sequences.orders.step=10",
                        "idallocator.sequences.orders.max-step=10",
                        "idallocator.sequences.orders.initial-value=100",
                        "idallocator.sequences.orders.recovery-period=0",
                        "idallocator.sequences.invoices.step=20",
                        "idallocator.primary-sequence=orders");
    }

    @Test
    void theIdAllocatorEndpointShowsTheGeneratorItsLeaseCountersAndLayout() {
        runner.run(context -> {
            context.getBean(SnowflakeIdGenerator.class).nextIds(3);

            SnowflakeDescriptor snowflake =
                    context.getBean(IdAllocatorEndpoint.class).allocators().snowflake();

            assertThat(snowflake.workerId()).isEqualTo(3);
            assertThat(snowflake.granted()).isTrue();
            assertThat(Instant.parse(snowflake.leaseExpiresAt()))
                    .isBetween(Instant.now(), Instant.now().plusSeconds(31));
            assertThat(Duration.parse(snowflake.sinceLastRenewal())).isLessThan(Duration.ofSeconds(10));
            assertThat(Instant.parse(snowflake.lastIssuedAt()))
                    .isBefore(Instant.now().plusMillis(1));
            assertThat(snowflake.issued()).isEqualTo(3);
            assertThat(snowflake.clockBackwardsWaits()).isZero();
            assertThat(snowflake.clockBackwardsFailures()).isZero();
            assertThat(snowflake.leaseLostRejections()).isZero();
            assertThat(snowflake.backend()).isEqualTo("redis");
            assertThat(snowflake.store()).isEqualTo("snowflake-workers");
            assertThat(snowflake.layout())
                    .isEqualTo(new SnowflakeEndpoint.LayoutDescriptor(
                            41,
                            10,
                            12,
                            "2024-01-01T00:00:00Z",
                            "PT0.001S",
                            1023,
                            4096,
                            SnowflakeLayout.DEFAULT.exhaustedAt().toString()));
            assertThat(snowflake.lease())
                    .isEqualTo(new SnowflakeEndpoint.LeaseDescriptor(
                            "snowflake-workers", 3, 9, "PT30S", "PT10S", "PT1S", "PT2S"));
        });
    }

    @Test
    void theWorkerAllocatorIsListedAsReleasedOnShutdown() {
        runner.run(context -> {
            AllocatorsDescriptor all =
                    context.getBean(IdAllocatorEndpoint.class).allocators();

            assertThat(all.allocators()).containsOnlyKeys("snowflake-workers");
            assertThat(all.allocators().get("snowflake-workers").stats().allocated())
                    .isEqualTo(1);
            assertThat(all.allocators().get("snowflake-workers").configuration().releaseOnShutdown())
                    .isTrue();
        });
    }

    @Test
    void theWorkerAllocatorIsShownButItsLeasesCannotBeForceFreed() {
        runner.run(context -> {
            IdAllocatorEndpoint endpoint = context.getBean(IdAllocatorEndpoint.class);

            assertThat(endpoint.allocator("snowflake-workers")).isNotNull();
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.forceFree("snowflake-workers", 3))
                    .withMessageContaining("starter's own");
            assertThat(context.getBean(SnowflakeIdGenerator.class).isGranted()).isTrue();
        });
    }

    @Test
    void theIdAllocatorEndpointShowsEverySequenceWithItsPositionAndCounters() {
        runner.run(context -> {
            SequenceAllocator orders = context.getBean(SequenceAllocator.class);
            orders.next(4);

            AllocatorsDescriptor all =
                    context.getBean(IdAllocatorEndpoint.class).allocators();

            assertThat(all.sequences()).containsOnlyKeys("orders", "invoices");
            SequenceDescriptor descriptor = all.sequences().get("orders");
            assertThat(descriptor.lastHandedOut()).isEqualTo(103);
            assertThat(descriptor.highWaterMark()).isEqualTo(109);
            assertThat(descriptor.segmentsFetched()).isEqualTo(1);
            assertThat(descriptor.reserved()).isEqualTo(10);
            assertThat(descriptor.handedOut()).isEqualTo(4);
            assertThat(descriptor.unused()).isEqualTo(6);
            assertThat(descriptor.repairs()).isZero();
            assertThat(Duration.parse(descriptor.lastRefillLatency())).isPositive();
            assertThat(descriptor.configuration().initialValue()).isEqualTo(100);
            assertThat(all.sequences().get("invoices").lastHandedOut()).isEqualTo(-1);
        });
    }

    @Test
    void theIdAllocatorEndpointHasNoSnowflakeSectionWhileTheGeneratorIsOff() {
        runner.withPropertyValues("idallocator.snowflake.enabled=false").run(context -> {
            AllocatorsDescriptor all =
                    context.getBean(IdAllocatorEndpoint.class).allocators();

            assertThat(all.snowflake()).isNull();
            assertThat(all.allocators()).isEmpty();
        });
    }

    @Test
    void theSnowflakeEndpointShowsTheGenerator() {
        runner.run(context -> assertThat(
                        context.getBean(SnowflakeEndpoint.class).snowflake().workerId())
                .isEqualTo(3));
    }

    @Test
    void theSnowflakeEndpointShowsNoWorkerIdOnceTheLeaseCouldNotBeRenewedInTime() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withSnowflake(own, IdAllocatorEndpointAutoConfiguration.class)
                    .withPropertyValues(
                            "management.endpoints.web.exposure.include=snowflake", "spring.data.redis.timeout=200ms")
                    .run(context -> {
                        SnowflakeEndpoint endpoint = context.getBean(SnowflakeEndpoint.class);
                        assertThat(endpoint.snowflake().workerId()).isZero();
                        own.kill();

                        await().atMost(Duration.ofSeconds(3))
                                .until(() -> !endpoint.snowflake().granted());

                        assertThat(endpoint.snowflake().workerId()).isEqualTo(-1);
                    });
        }
    }

    @Test
    void theSnowflakeEndpointDecodesAnId() {
        runner.run(context -> {
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            long id = generator.nextId();
            SnowflakeId parts = generator.decompose(id);

            DecodedIdDescriptor decoded =
                    context.getBean(SnowflakeEndpoint.class).decode(id);

            assertThat(decoded)
                    .isEqualTo(new DecodedIdDescriptor(id, parts.timestamp().toString(), 3, parts.sequence()));
        });
    }

    @Test
    void decodingANegativeIdIsABadRequest() {
        runner.run(context -> assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> context.getBean(SnowflakeEndpoint.class).decode(-1))
                .withMessageContaining("negative"));
    }

    @Test
    void theSnowflakeEndpointIsReadOnly() {
        Endpoint endpoint = MergedAnnotations.from(SnowflakeEndpoint.class)
                .get(Endpoint.class)
                .synthesize();

        assertThat(endpoint.id()).isEqualTo("snowflake");
        assertThat(endpoint.defaultAccess()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void theSnowflakeEndpointIsAbsentWhenNotExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=idallocator")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SnowflakeEndpoint.class);
                    assertThat(context).hasSingleBean(IdAllocatorEndpoint.class);
                });
    }

    @Test
    void theSnowflakeEndpointIsAbsentWhileTheGeneratorIsOff() {
        runner.withPropertyValues("idallocator.snowflake.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SnowflakeEndpoint.class));
    }
}
