package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.HeldLockDescriptor;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.LocksDescriptor;
import io.github.idallocator.test.WithRedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class LockEndpointTests {

    private final ApplicationContextRunner runner;

    LockEndpointTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(
                        redis, LockAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator",
                        "idallocator.instance-id=instance-a",
                        "idallocator.locks.namespace=jobs",
                        "idallocator.locks.lease-time=10s",
                        "idallocator.locks.replica-acks=0",
                        "idallocator.locks.replica-ack-timeout=2s");
    }

    @Test
    void showsTheNamespaceItsConfigurationAndTheLocksThisInstanceHolds() {
        runner.run(context -> {
            LockService locks = context.getBean(LockService.class);
            LockLease nightly = locks.tryAcquire("nightly").orElseThrow();
            LockLease hourly = locks.tryAcquire("hourly").orElseThrow();

            LocksDescriptor shown =
                    context.getBean(IdAllocatorEndpoint.class).allocators().locks();

            assertThat(shown.namespace()).isEqualTo("jobs");
            assertThat(shown.configuration().leaseTime()).isEqualTo("PT10S");
            assertThat(shown.configuration().waitPollBound()).isEqualTo("PT0.25S");
            assertThat(shown.configuration().replicaAcks()).isZero();
            assertThat(shown.configuration().replicaAckTimeout()).isEqualTo("PT2S");
            assertThat(shown.held()).extracting(HeldLockDescriptor::name).containsExactly("hourly", "nightly");
            HeldLockDescriptor first = shown.held().get(1);
            assertThat(first.owner()).isEqualTo(nightly.owner()).startsWith("instance-a:");
            assertThat(first.fencingToken()).isEqualTo(nightly.fencingToken());
            assertThat(first.remainingMillis()).isBetween(1L, 10_000L);
            assertThat(shown.held().get(0).fencingToken()).isEqualTo(hourly.fencingToken());
            assertThat(shown.lost()).isZero();
        });
    }

    @Test
    void showsNeitherReleasedLocksNorThoseOfOtherInstances() {
        runner.run(context -> {
            LockService locks = context.getBean(LockService.class);
            try (RedisLockService other =
                    RedisLockService.create(context.getBean(RedisConnectionFactory.class), locks.config())) {
                other.tryAcquire("hourly").orElseThrow();
                locks.tryAcquire("nightly").orElseThrow().release();

                assertThat(context.getBean(IdAllocatorEndpoint.class)
                                .allocators()
                                .locks()
                                .held())
                        .isEmpty();
            }
        });
    }

    @Test
    void hasNoLocksSectionWhenLocksAreDisabled() {
        runner.withPropertyValues("idallocator.locks.enabled=false").run(context -> assertThat(
                        context.getBean(IdAllocatorEndpoint.class).allocators().locks())
                .isNull());
    }

    @Test
    void readsNoRedis() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(own, LockAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                    .withPropertyValues(
                            "management.endpoints.web.exposure.include=idallocator", "spring.data.redis.timeout=200ms")
                    .run(context -> {
                        context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();

                        own.kill();

                        assertThat(context.getBean(IdAllocatorEndpoint.class)
                                        .allocators()
                                        .locks()
                                        .held())
                                .extracting(HeldLockDescriptor::name)
                                .containsExactly("nightly");
                    });
        }
    }
}
