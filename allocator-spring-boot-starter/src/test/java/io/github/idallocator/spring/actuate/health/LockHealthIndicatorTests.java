package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.autoconfigure.lock.LockAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

@WithRedisServer
class LockHealthIndicatorTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    LockHealthIndicatorTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis, LockAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues("idallocator.locks.namespace=jobs");
    }

    @Test
    void isUpWithTheNamespaceAndTheLocksHeldWhileNoLeaseWasLost() {
        runner.run(context -> {
            context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();

            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("namespace", "jobs")
                    .containsEntry("held", 1)
                    .containsEntry("lost", 0L)
                    .doesNotContainKeys("lastLost", "error");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void isDownAfterALeaseWasLostAndShowsTheLastLoss() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.locks.lease-time=300ms")
                .run(context -> {
                    LockLease lease = context.getBean(LockService.class)
                            .tryAcquire("nightly")
                            .orElseThrow();

                    redis.command("DEL", prefix + ":{jobs:nightly}:lock");

                    await().atMost(Duration.ofSeconds(3))
                            .until(() -> health(context).getStatus().equals(Status.DOWN));
                    Health health = health(context);
                    assertThat(health.getDetails())
                            .containsEntry("held", 0)
                            .containsEntry("lost", 1L)
                            .containsKey("error");
                    assertThat((Map<String, Object>) health.getDetails().get("lastLost"))
                            .containsEntry("lock", "nightly")
                            .containsEntry("fencingToken", lease.fencingToken())
                            .containsKey("at")
                            .hasEntrySatisfying("message", message -> assertThat(message.toString())
                                    .contains("Redis no longer holds it"));
                });
    }

    @Test
    void isUpAgainOnceTheLostWindowHasPassedAndStillCountsTheLoss() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.locks.lease-time=300ms",
                        "idallocator.health.lock-lost-window=500ms")
                .run(context -> {
                    context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();
                    redis.command("DEL", prefix + ":{jobs:nightly}:lock");
                    await().atMost(Duration.ofSeconds(3))
                            .until(() -> health(context).getStatus().equals(Status.DOWN));

                    await().atMost(Duration.ofSeconds(3))
                            .until(() -> health(context).getStatus().equals(Status.UP));

                    assertThat(health(context).getDetails())
                            .containsEntry("lost", 1L)
                            .containsKey("lastLost");
                });
    }

    @Test
    void aZeroLostWindowNeverReportsDown() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.locks.lease-time=300ms",
                        "idallocator.health.lock-lost-window=0")
                .run(context -> {
                    context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();
                    redis.command("DEL", prefix + ":{jobs:nightly}:lock");

                    await().atMost(Duration.ofSeconds(3))
                            .until(() ->
                                    health(context).getDetails().get("lost").equals(1L));

                    assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void readsNoRedis() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(
                            own, LockAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                    .withPropertyValues("spring.data.redis.timeout=200ms")
                    .run(context -> {
                        context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();

                        own.kill();

                        Health health = health(context);
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).containsEntry("held", 1);
                    });
        }
    }

    @Test
    void isOffWhenItsHealthIndicatorIsDisabled() {
        runner.withPropertyValues("management.health.locks.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("locksHealthIndicator"));
    }

    @Test
    void isAbsentWhenLocksAreDisabled() {
        runner.withPropertyValues("idallocator.locks.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LockHealthIndicator.class);
        });
    }

    private static Health health(ApplicationContext context) {
        return context.getBean("locksHealthIndicator", HealthIndicator.class).health();
    }
}
