package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@WithRedisServer
class SnowflakeHealthIndicatorTests {

    private final ApplicationContextRunner runner;

    SnowflakeHealthIndicatorTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues("idallocator.snowflake.enabled=true", "idallocator.snowflake.worker-id-min=7");
    }

    @Test
    void isUpWithTheWorkerIdWhileTheLeaseIsValid() {
        runner.run(context -> {
            Health health = context.getBean("snowflakeHealthIndicator", HealthIndicator.class)
                    .health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("workerId", 7L)
                    .containsEntry("allocator", "snowflake-workers")
                    .containsEntry("backend", "redis")
                    .containsEntry("store", "snowflake-workers");
            assertThat(Instant.parse(health.getDetails().get("leaseExpiresAt").toString()))
                    .isAfter(Instant.now());
            assertThat(Duration.parse(
                            health.getDetails().get("sinceLastRenewal").toString()))
                    .isLessThan(Duration.ofSeconds(10));
        });
    }

    @Test
    void isDownWhileTheGeneratorHoldsNoValidLease() {
        runner.run(context -> {
            context.getBean(IdAllocatorLifecycle.class).stop();

            Health health = context.getBean(SnowflakeHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("workerId", -1L).containsKey("error");
        });
    }

    @Test
    void saysWhyItIsDownWithoutALeaseAndLeavesOutWhenItWouldEnd() {
        runner.run(context -> {
            context.getBean(IdAllocatorLifecycle.class).stop();

            Health health = context.getBean(SnowflakeHealthIndicator.class).health();

            assertThat(health.getDetails())
                    .containsEntry("error", "no worker id is leased: ids are refused until one is")
                    .doesNotContainKey("leaseExpiresAt");
        });
    }

    @Test
    void isDownOnceTheLeaseCannotBeRenewedInTime() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withSnowflake(own, IdAllocatorHealthContributorAutoConfiguration.class)
                    .withPropertyValues("spring.data.redis.timeout=200ms")
                    .run(context -> {
                        SnowflakeHealthIndicator indicator = context.getBean(SnowflakeHealthIndicator.class);
                        own.kill();

                        await().atMost(Duration.ofSeconds(3))
                                .until(() ->
                                        Status.DOWN.equals(indicator.health().getStatus()));
                        assertThat(indicator.health().getDetails())
                                .containsEntry("workerId", -1L)
                                .hasEntrySatisfying("error", error -> assertThat(error.toString())
                                        .contains("the lease of worker id 0 could not be renewed in time"));
                    });
        }
    }

    @Test
    void isAbsentWhenDisabled() {
        runner.withPropertyValues("management.health.snowflake.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(SnowflakeHealthIndicator.class);
            assertThat(context).hasSingleBean(IdAllocatorHealthContributor.class);
        });
    }

    @Test
    void isAbsentWhileTheGeneratorIsOff() {
        runner.withPropertyValues("idallocator.snowflake.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SnowflakeHealthIndicator.class));
    }
}
