package io.github.idallocator.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The worker-id lease in the application: renewed by the lifecycle, lost and taken again, released on shutdown. */
@WithRedisServer
class SnowflakeLeaseTests {

    /** The lease time of {@link TestContexts#withSnowflake}. */
    private static final Duration TTL = Duration.ofMillis(900);

    private final RedisServerProcess redis;
    private final String prefix = TestContexts.uniquePrefix();
    private final ApplicationContextRunner runner;

    SnowflakeLeaseTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withSnowflake(redis).withPropertyValues("idallocator.key-prefix=" + prefix);
    }

    @Test
    void theLifecycleRenewsTheLeaseBeyondItsTtl() {
        runner.run(context -> {
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);

            await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4)).until(generator::isGranted);
            generator.nextId();
        });
    }

    @Test
    void closingTheContextFreesTheWorkerIdForTheNextInstanceAtOnce() {
        runner.run(context -> {
            long workerId = context.getBean(SnowflakeIdGenerator.class).workerId();
            assertThat(redis.command("HLEN", workers("leases"))).isEqualTo(1L);

            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

            assertThat(redis.command("HLEN", workers("leases"))).isEqualTo(0L);
            runner.run(
                    next -> assertThat(next.getBean(SnowflakeIdGenerator.class).workerId())
                            .isEqualTo(workerId));
        });
    }

    @Test
    void theNextHolderOfAWorkerIdIssuesIdsAboveTheLastIdOfThePreviousOne() {
        runner.run(first -> {
            SnowflakeIdGenerator generator = first.getBean(SnowflakeIdGenerator.class);
            long last = generator.nextIds(5000)[4999];
            ((ConfigurableApplicationContext) first.getSourceApplicationContext()).close();

            runner.run(second -> {
                SnowflakeIdGenerator next = second.getBean(SnowflakeIdGenerator.class);
                assertThat(next.workerId()).isEqualTo(generator.decompose(last).workerId());
                assertThat(next.nextId()).isGreaterThan(last);
            });
        });
    }

    @Test
    void leaseEventsReachEventListenersFromTheFirstAcquisitionToTheRelease() {
        runner.withUserConfiguration(LeaseEvents.class).run(context -> {
            LeaseEvents events = context.getBean(LeaseEvents.class);
            long workerId = context.getBean(SnowflakeIdGenerator.class).workerId();

            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

            assertThat(events.received)
                    .extracting(SnowflakeWorkerLeaseEvent::getType)
                    .containsExactly(WorkerLeaseEvent.Type.ACQUIRED, WorkerLeaseEvent.Type.RELEASED);
            assertThat(events.received)
                    .allSatisfy(event -> assertThat(event.getWorkerId()).isEqualTo(workerId));
        });
    }

    @Test
    void aStoppedLifecycleReleasesTheWorkerIdAndLeasesOneAgainWhenStarted() {
        runner.run(context -> {
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
            IdAllocatorLifecycle lifecycle = context.getBean(IdAllocatorLifecycle.class);

            lifecycle.stop();
            assertThat(generator.isGranted()).isFalse();
            assertThat(redis.command("HLEN", workers("leases"))).isEqualTo(0L);

            lifecycle.start();
            assertThat(generator.isGranted()).isTrue();
            generator.nextId();
        });
    }

    @Test
    void idsAreRefusedOnceTheLeaseCannotBeRenewed() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withSnowflake(own)
                    .withPropertyValues("spring.data.redis.timeout=200ms")
                    .run(context -> {
                        SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
                        own.kill();

                        await().atMost(TTL.multipliedBy(3)).until(() -> !generator.isGranted());
                        assertThat(generator.stats().leaseLostRejections()).isZero();
                        assertThatExceptionOfType(WorkerLeaseLostException.class)
                                .isThrownBy(generator::nextId);
                        assertThat(generator.stats().leaseLostRejections()).isOne();
                    });
        }
    }

    @Test
    void aLostLeaseIsPublishedAndAWorkerIdLeasedAgainWhenRedisReturns() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withSnowflake(own)
                    .withPropertyValues("spring.data.redis.timeout=200ms")
                    .withUserConfiguration(LeaseEvents.class)
                    .run(context -> {
                        SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
                        LeaseEvents events = context.getBean(LeaseEvents.class);
                        own.kill();
                        await().atMost(TTL.multipliedBy(4))
                                .until(() -> events.types().contains(WorkerLeaseEvent.Type.LOST));

                        own.restart();

                        await().atMost(Duration.ofSeconds(10)).until(generator::isGranted);
                        assertThat(events.types())
                                .containsExactly(
                                        WorkerLeaseEvent.Type.ACQUIRED,
                                        WorkerLeaseEvent.Type.LOST,
                                        WorkerLeaseEvent.Type.ACQUIRED);
                        generator.nextId();
                    });
        }
    }

    private String workers(String part) {
        return prefix + ":{snowflake-workers}:" + part;
    }

    /** An application that listens to lease events the usual way. */
    @Configuration(proxyBeanMethods = false)
    static class LeaseEvents {

        final List<SnowflakeWorkerLeaseEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SnowflakeWorkerLeaseEvent event) {
            received.add(event);
        }

        List<WorkerLeaseEvent.Type> types() {
            return received.stream().map(SnowflakeWorkerLeaseEvent::getType).toList();
        }
    }
}
