package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.pool.Removal;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

@WithRedisServer
class PoolHealthIndicatorTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    PoolHealthIndicatorTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis, PoolAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.pools.proxies.resources=proxy-1,proxy-2",
                        "idallocator.pools.accounts.resources=account-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void isUpWithEachPoolsCountsWhileEveryPoolHasAResourceInService() {
        runner.run(context -> {
            ResourcePools pools = context.getBean(ResourcePools.class);
            pools.get("proxies").tryAcquire().orElseThrow();
            pools.get("accounts").tryAcquire().orElseThrow();

            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((Map<String, Object>) health.getDetails().get("proxies"))
                    .containsEntry("status", "UP")
                    .containsEntry("resources", 2L)
                    .containsEntry("inService", 2L)
                    .containsEntry("available", 1L)
                    .containsEntry("leases", 1L)
                    .containsEntry("quarantined", 0L)
                    .containsEntry("draining", 0L)
                    .containsEntry("waiters", 0L);
            assertThat((Map<String, Object>) health.getDetails().get("accounts"))
                    .as("every resource held is still a pool in service")
                    .containsEntry("status", "UP")
                    .containsEntry("available", 0L);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoolWhoseResourcesAreAllQuarantinedOrDrainingIsOutOfService() {
        runner.run(context -> {
            ResourcePool proxies = context.getBean(ResourcePools.class).get("proxies");
            proxies.tryAcquire().orElseThrow();
            proxies.quarantine("proxy-1", Duration.ofMinutes(5), "timeouts");
            proxies.quarantine("proxy-2", Duration.ofMinutes(5), "timeouts");

            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat((Map<String, Object>) health.getDetails().get("proxies"))
                    .containsEntry("status", "OUT_OF_SERVICE")
                    .containsEntry("inService", 0L)
                    .containsEntry("quarantined", 2L)
                    .hasEntrySatisfying(
                            "error", error -> assertThat(error.toString()).contains("quarantined or draining"));
            assertThat((Map<String, Object>) health.getDetails().get("accounts"))
                    .containsEntry("status", "UP");
        });
    }

    @Test
    void aPoolWithOneResourceQuarantinedAndTheOtherDrainingIsOutOfService() {
        runner.run(context -> {
            ResourcePool proxies = context.getBean(ResourcePools.class).get("proxies");
            proxies.tryAcquire().orElseThrow();
            String held = proxies.heldLeases().get(0).resource();
            proxies.remove(held, Removal.DRAIN);
            proxies.quarantine(held.equals("proxy-1") ? "proxy-2" : "proxy-1", Duration.ofMinutes(5), "timeouts");

            assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoolWithoutResourcesIsOutOfService() {
        runner.withPropertyValues("idallocator.pools.empty.enabled=true").run(context -> {
            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat((Map<String, Object>) health.getDetails().get("empty"))
                    .containsEntry("resources", 0L)
                    .containsEntry("error", "the pool has no resources");
        });
    }

    @Test
    void theStatusOfAnUnusablePoolIsConfigurable() {
        runner.withPropertyValues("idallocator.health.pool-unusable-status=down")
                .run(context -> {
                    context.getBean(ResourcePools.class).get("accounts").remove("account-1", Removal.FORCE);

                    assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void aRestoredResourceBringsThePoolBackUp() {
        runner.run(context -> {
            ResourcePool accounts = context.getBean(ResourcePools.class).get("accounts");
            accounts.quarantine("account-1", Duration.ofMinutes(5), "locked");
            assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

            accounts.restore("account-1");

            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void isDownWithinItsTimeoutWhileRedisDoesNotAnswer() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(
                            own, PoolAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                    .withPropertyValues(
                            "spring.data.redis.timeout=10s",
                            "idallocator.health.timeout=300ms",
                            "idallocator.pools.proxies.resources=proxy-1",
                            "idallocator.pools.accounts.resources=account-1")
                    .run(context -> {
                        assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                        own.pause();
                        try {
                            Health first = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> health(context));
                            Health second = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> health(context));

                            assertThat(first.getStatus()).isEqualTo(Status.DOWN);
                            assertThat(second.getStatus()).isEqualTo(Status.DOWN);
                            assertThat((Map<String, Object>) second.getDetails().get("accounts"))
                                    .containsEntry("status", "DOWN")
                                    .containsEntry("error", "Redis did not answer within PT0.3S");
                        } finally {
                            own.resume();
                        }
                        org.awaitility.Awaitility.await()
                                .atMost(Duration.ofSeconds(15))
                                .until(() -> health(context).getStatus().equals(Status.UP));
                    });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void isDownWhenRedisIsUnreachable() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(
                            own, PoolAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                    .withPropertyValues("idallocator.pools.proxies.resources=proxy-1")
                    .run(context -> {
                        own.kill();

                        Health health = health(context);

                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat((Map<String, Object>) health.getDetails().get("proxies"))
                                .containsEntry("status", "DOWN")
                                .containsKey("error");
                    });
        }
    }

    @Test
    void isOffWhenItsHealthIndicatorIsDisabled() {
        runner.withPropertyValues("management.health.pools.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("poolsHealthIndicator"));
    }

    @Test
    void isAbsentWithoutPools() {
        TestContexts.withRedis(redis, PoolAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
                });
    }

    @Test
    void isAbsentWithoutSpringBootHealth() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
                    assertThat(context).hasSingleBean(ResourcePools.class);
                });
    }

    private static Health health(ApplicationContext context) {
        return context.getBean("poolsHealthIndicator", HealthIndicator.class).health();
    }
}
