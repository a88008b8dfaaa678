package io.github.idallocator.autoconfigure.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.snowflake.SnowflakeId;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class SnowflakeAutoConfigurationTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    SnowflakeAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis).withPropertyValues("idallocator.snowflake.enabled=true");
    }

    @Test
    void isOffUnlessEnabled() {
        String prefix = TestContexts.uniquePrefix();
        TestContexts.withRedis(redis)
                .withPropertyValues("idallocator.key-prefix=" + prefix)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SnowflakeIdGenerator.class);
                    assertThat(context).doesNotHaveBean(SnowflakeWorker.class);
                    assertThat(redis.command("EXISTS", prefix + ":{snowflake-workers}:meta"))
                            .isEqualTo(0L);
                });
    }

    @Test
    void onANewWorkerIdAllocatorTheGeneratorWaitsOutTheRecoveryPeriodBeforeItsFirstId() {
        long started = System.nanoTime();
        TestContexts.withSnowflake(redis)
                .withPropertyValues("idallocator.snowflake.recovery-period=900ms")
                .run(context -> {
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);

                    assertThat(generator.isGranted()).isTrue();
                    assertThat(generator.nextId()).isPositive();
                    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
                });
    }

    @Test
    void anInjectedGeneratorIssuesIdsAtOnceWithTheLeasedWorkerId() {
        runner.withUserConfiguration(IdInConstructor.class).run(context -> {
            long id = context.getBean(IdInConstructor.class).id;
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);

            assertThat(generator.decompose(id).workerId()).isEqualTo(generator.workerId());
            assertThat(generator.workerId()).isBetween(0L, 1023L);
        });
    }

    @Test
    void idsUseTheDefaultLayoutAndEpoch() {
        runner.run(context -> {
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            Instant before = Instant.now().minusMillis(1);

            SnowflakeId parts = generator.decompose(generator.nextId());

            assertThat(generator.layout()).isEqualTo(SnowflakeLayout.DEFAULT);
            assertThat(parts.timestamp()).isBetween(before, Instant.now());
        });
    }

    @Test
    void theLayoutComesFromTheProperties() {
        runner.withPropertyValues(
                        "idallocator.snowflake.epoch=2025-06-01T00:00:00Z",
                        "idallocator.snowflake.time-bits=43",
                        "idallocator.snowflake.worker-bits=8",
                        "idallocator.snowflake.sequence-bits=12",
                        "idallocator.snowflake.tick=10ms",
                        "idallocator.snowflake.clock-backwards-tolerance=20ms")
                .run(context -> assertThat(
                                context.getBean(SnowflakeIdGenerator.class).layout())
                        .isEqualTo(new SnowflakeLayout(
                                43, 8, 12, Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMillis(10))));
    }

    @Test
    void theWorkerIdIsLeasedFromTheConfiguredAllocatorAndRange() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.snowflake.allocator-name=payments-workers",
                        "idallocator.snowflake.worker-id-min=5",
                        "idallocator.snowflake.worker-id-max=7")
                .run(context -> {
                    assertThat(context.getBean(SnowflakeIdGenerator.class).workerId())
                            .isEqualTo(5);
                    assertThat(redis.command("HLEN", prefix + ":{payments-workers}:leases"))
                            .isEqualTo(1L);
                });
    }

    @Test
    void twoInstancesLeaseDifferentWorkerIds() {
        ApplicationContextRunner shared =
                runner.withPropertyValues("idallocator.key-prefix=" + TestContexts.uniquePrefix());
        shared.run(first -> shared.run(
                second -> assertThat(second.getBean(SnowflakeIdGenerator.class).workerId())
                        .isNotEqualTo(first.getBean(SnowflakeIdGenerator.class).workerId())));
    }

    @Test
    void theWorkerAllocatorIsInternalNotAmongTheApplicationsAllocatorsAndNoInjectionCandidate() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99").run(context -> {
            IdAllocators allocators = context.getBean(IdAllocators.class);

            assertThat(allocators.names()).containsExactly("orders");
            assertThat(allocators).extracting(IdAllocator::name).containsExactly("orders");
            assertThat(allocators.find("snowflake-workers")).isEmpty();
            assertThat(allocators.isInternal("snowflake-workers")).isTrue();
            assertThat(allocators.internal()).extracting(IdAllocator::name).containsExactly("snowflake-workers");
            assertThat(allocators.withInternal())
                    .extracting(IdAllocator::name)
                    .containsExactly("orders", "snowflake-workers");
            assertThat(context.getBean(IdAllocator.class).name()).isEqualTo("orders");
            assertThat(allocators.internal().get(0).config().reuseDelay()).isZero();
        });
    }

    @Test
    void noFreeWorkerIdFailsStartUpWithAHintAtTheWorkerIdRange() {
        ApplicationContextRunner oneWorkerId = runner.withPropertyValues(
                "idallocator.key-prefix=" + TestContexts.uniquePrefix(), "idallocator.snowflake.worker-id-max=0");
        oneWorkerId.run(first -> oneWorkerId.run(second -> {
            assertThat(first.getBean(SnowflakeIdGenerator.class).workerId()).isZero();
            assertThat(second).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.ofStartupFailure(second.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("could not lease a worker id from allocator 'snowflake-workers'");
            assertThat(analysis.getAction())
                    .contains("idallocator.snowflake.worker-id-min", "idallocator.snowflake.worker-id-max");
        }));
    }

    @Test
    void aWorkerRangeThatDiffersFromTheStoredOneFailsStartUpNamingTheSnowflakeProperties() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.snowflake.worker-id-max=9")
                .run(first -> runner.withPropertyValues(
                                "idallocator.key-prefix=" + prefix, "idallocator.snowflake.worker-id-max=19")
                        .run(second -> {
                            FailureAnalysis analysis = FailureAnalyses.ofStartupFailure(second.getStartupFailure());
                            assertThat(analysis.getDescription()).contains("[0, 9]", "[0, 19]");
                            assertThat(analysis.getAction())
                                    .contains(
                                            "idallocator.snowflake.worker-id-min",
                                            "idallocator.snowflake.worker-id-max");
                        }));
    }

    @Test
    void anUnreachableRedisFailsStartUpWithAHintAtTheRedisProperties() throws IOException {
        runner.withPropertyValues("spring.data.redis.port=" + closedPort()).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.ofStartupFailure(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Snowflake");
            assertThat(analysis.getAction()).contains("spring.data.redis.");
        });
    }

    @Test
    void backsOffFromAGeneratorTheApplicationDefines() {
        runner.withUserConfiguration(OwnGenerator.class).run(context -> {
            assertThat(context).hasSingleBean(SnowflakeIdGenerator.class);
            assertThat(context).doesNotHaveBean(SnowflakeWorker.class);
            assertThat(context.getBean(IdAllocators.class).internal()).isEmpty();
        });
    }

    @Test
    void usesTheGeneratorOfAWorkerTheApplicationDefines() {
        runner.withUserConfiguration(OwnWorker.class).run(context -> {
            SnowflakeWorker worker = context.getBean(SnowflakeWorker.class);
            assertThat(context.getBean(SnowflakeIdGenerator.class)).isSameAs(worker.generator());
            assertThat(worker.workerAllocator().name()).isEqualTo("own-workers");
        });
    }

    @Test
    void isOffWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SnowflakeIdGenerator.class);
        });
    }

    @Test
    void isOffWithoutARedisConnectionFactory() {
        runner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class.getName(), "redis.clients"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SnowflakeIdGenerator.class);
                });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Uses the generator while the context is being created. */
    @Configuration(proxyBeanMethods = false)
    static class IdInConstructor {

        final long id;

        IdInConstructor(SnowflakeIdGenerator generator) {
            this.id = generator.nextId();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnGenerator {

        @Bean
        SnowflakeIdGenerator myGenerator() {
            return SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWorker {

        @Bean
        SnowflakeWorker myWorker(IdAllocatorFactory factory, ApplicationEventPublisher events) {
            IdAllocator workers = factory.create(IdAllocatorConfig.builder("own-workers", 0, 3)
                    .keyPrefix(TestContexts.uniquePrefix())
                    .build());
            return new SnowflakeWorker(
                    SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build(),
                    workers,
                    WorkerLeaseSettings.DEFAULT,
                    System::currentTimeMillis,
                    events);
        }
    }
}
