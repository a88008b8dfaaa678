package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@WithRedisServer
class IdAllocatorHealthIndicatorTests {

    private final ApplicationContextRunner runner;

    IdAllocatorHealthIndicatorTests(RedisServerProcess redis) {
        this.runner = withRedis(redis);
    }

    private static ApplicationContextRunner withRedis(RedisServerProcess redis) {
        return TestContexts.withRedis(redis, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.allocators.orders.max-id=9",
                        "idallocator.allocators.orders.creator-ttl=500ms",
                        "idallocator.allocators.orders.heartbeat-interval=100ms",
                        "idallocator.allocators.workers.max-id=99",
                        "idallocator.primary=orders");
    }

    @Test
    void isUpWithTheDetailsOfEveryAllocator() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(2);

            Health health = health(context.getBean("idallocatorHealthIndicator", HealthIndicator.class));

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsOnlyKeys("orders", "workers");
            assertThat(detail(health, "orders"))
                    .containsEntry("status", "UP")
                    .containsEntry("role", "CREATOR")
                    .containsEntry("utilisation", 0.2)
                    .containsEntry("allocated", 2L)
                    .containsEntry("available", 8L)
                    .containsEntry("highUtilisation", false)
                    .containsKey("creator");
        });
    }

    @Test
    void isDownWhenRedisCannotBeReached() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            withRedis(own).withPropertyValues("spring.data.redis.timeout=300ms").run(context -> {
                own.kill();

                Health health = health(context.getBean(IdAllocatorHealthIndicator.class));

                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(detail(health, "orders"))
                        .containsEntry("status", "DOWN")
                        .containsKey("error");
            });
        }
    }

    @Test
    void isDownWhenNoCreatorRenewedForLongerThanTheCreatorTtl() {
        runner.run(context -> {
            context.getBean(IdAllocatorLifecycle.class).stop();
            IdAllocatorHealthIndicator indicator = context.getBean(IdAllocatorHealthIndicator.class);

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(detail(health(indicator), "orders"))
                    .containsEntry("status", "DOWN")
                    .containsEntry("creator", null)
                    .hasEntrySatisfying(
                            "error", error -> assertThat(error.toString()).contains("creator lease")));
            assertThat(health(indicator).getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void staysUpWhileAReleasedCreatorRoleWaitsForTheNextHeartbeat() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            orders.creatorElection().orElseThrow().releaseCreatorRole();

            Health health = health(context.getBean(IdAllocatorHealthIndicator.class));

            assertThat(health.getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void reportsTheConfiguredStatusAtHighUtilisation() {
        runner.withPropertyValues(
                        "idallocator.health.utilisation-threshold=0.8",
                        "idallocator.health.high-utilisation-status=OUT_OF_SERVICE")
                .run(context -> {
                    context.getBean(IdAllocator.class).allocate(8);

                    Health health = health(context.getBean(IdAllocatorHealthIndicator.class));

                    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(detail(health, "orders"))
                            .containsEntry("highUtilisation", true)
                            .containsEntry("status", "OUT_OF_SERVICE");
                    assertThat(detail(health, "workers")).containsEntry("status", "UP");
                });
    }

    @Test
    void onlyFlagsHighUtilisationByDefault() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(9);

            Health health = health(context.getBean(IdAllocatorHealthIndicator.class));

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(detail(health, "orders")).containsEntry("highUtilisation", true);
        });
    }

    @Test
    void isAbsentWhenDisabled() {
        runner.withPropertyValues("management.health.idallocator.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(IdAllocatorHealthIndicator.class));
    }

    @Test
    void isAbsentWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("idallocatorHealthIndicator");
                    assertThat(context).hasSingleBean(IdAllocators.class);
                });
    }

    private static Health health(HealthIndicator indicator) {
        Health health = indicator.health();
        assertThat(health).isNotNull();
        return health;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String allocator) {
        return (Map<String, Object>) health.getDetails().get(allocator);
    }
}
