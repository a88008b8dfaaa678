package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** The {@code idallocator} health contributor, read through Spring Boot's health endpoint as an operator would. */
@WithRedisServer
class IdAllocatorHealthContributorTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    IdAllocatorHealthContributorTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = withRedis(redis);
    }

    private static ApplicationContextRunner withRedis(RedisServerProcess redis) {
        return TestContexts.withRedis(redis, IdAllocatorHealthContributorAutoConfiguration.class)
                .withConfiguration(AutoConfigurations.of(
                        HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class))
                .withPropertyValues(
                        "management.endpoint.health.show-details=always",
                        "management.endpoints.web.exposure.include=health",
                        "idallocator.allocators.orders.max-id=9",
                        "idallocator.allocators.orders.creator-ttl=500ms",
                        "idallocator.allocators.orders.heartbeat-interval=100ms",
                        "idallocator.allocators.workers.max-id=99",
                        "idallocator.primary=orders");
    }

    @Test
    void hasOneComponentPerAllocatorWithItsDetails() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(2);

            CompositeHealthDescriptor health = (CompositeHealthDescriptor) health(context, "idallocator");

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getComponents()).containsOnlyKeys("orders", "workers");
            assertThat(health.getComponents().get("orders").getStatus()).isEqualTo(Status.UP);
            assertThat(details(context, "orders"))
                    .containsEntry("role", "CREATOR")
                    .containsEntry("utilisation", 0.2)
                    .containsEntry("allocated", 2L)
                    .containsEntry("available", 8L)
                    .containsEntry("highUtilisation", false)
                    .containsKey("creator");
        });
    }

    @Test
    void oneAllocatorAnswersUnderItsOwnPath() {
        runner.run(context -> {
            HealthDescriptor orders = health(context, "idallocator", "orders");

            assertThat(orders).isInstanceOf(IndicatedHealthDescriptor.class);
            assertThat(orders.getStatus()).isEqualTo(Status.UP);
            assertThat(health(context, "idallocator", "unknown")).isNull();
        });
    }

    @Test
    void anAllocatorCanGoIntoAHealthGroupOfItsOwn() {
        runner.withPropertyValues(
                        "idallocator.health.utilisation-threshold=0.5",
                        "idallocator.health.high-utilisation-status=OUT_OF_SERVICE",
                        "management.endpoint.health.group.workers-only.include=idallocator/workers")
                .run(context -> {
                    context.getBean(IdAllocator.class).allocate(8);

                    assertThat(health(context, "idallocator").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(health(context, "workers-only").getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void isDownWhenRedisCannotBeReached() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            withRedis(own).withPropertyValues("spring.data.redis.timeout=300ms").run(context -> {
                own.kill();

                HealthDescriptor health = health(context, "idallocator");

                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health(context, "idallocator", "orders").getStatus()).isEqualTo(Status.DOWN);
                assertThat(details(context, "orders")).containsKey("error");
            });
        }
    }

    @Test
    void answersWithinItsTimeoutForAllAllocatorsTogetherWhileRedisDoesNotAnswer() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            withRedis(own)
                    .withPropertyValues(
                            "spring.data.redis.timeout=10s",
                            "idallocator.health.timeout=400ms",
                            "idallocator.allocators.invoices.max-id=9",
                            "idallocator.allocators.tenants.max-id=9")
                    .run(context -> {
                        assertThat(health(context, "idallocator").getStatus()).isEqualTo(Status.UP);
                        Thread.sleep(IdAllocatorHealthContributor.ROUND_REUSE.toMillis() + 100);
                        own.pause();
                        try {
                            long start = System.nanoTime();
                            CompositeHealthDescriptor health = assertTimeoutPreemptively(Duration.ofSeconds(3), () ->
                                    (CompositeHealthDescriptor) health(context, "idallocator"));
                            Duration took = Duration.ofNanos(System.nanoTime() - start);

                            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                            assertThat(health.getComponents()).hasSize(4);
                            assertThat(took).isLessThan(Duration.ofMillis(1000));
                            assertThat(((IndicatedHealthDescriptor)
                                                    health.getComponents().get("tenants"))
                                            .getDetails())
                                    .containsEntry("error", "Redis did not answer within PT0.4S");
                        } finally {
                            own.resume();
                        }
                        await().atMost(Duration.ofSeconds(15)).until(() -> health(context, "idallocator")
                                .getStatus()
                                .equals(Status.UP));
                    });
        }
    }

    @Test
    void isDownWhenNoCreatorRenewedForLongerThanTheCreatorTtl() {
        runner.run(context -> {
            context.getBean(IdAllocatorLifecycle.class).stop();

            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(details(context, "orders"))
                    .containsEntry("creator", null)
                    .hasEntrySatisfying(
                            "error", error -> assertThat(error.toString()).contains("creator lease")));
            assertThat(health(context, "idallocator", "orders").getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void staysUpWhileAReleasedCreatorRoleWaitsForTheNextHeartbeat() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            orders.creatorElection().orElseThrow().releaseCreatorRole();

            assertThat(health(context, "idallocator").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void reportsTheConfiguredStatusAtHighUtilisation() {
        runner.withPropertyValues(
                        "idallocator.health.utilisation-threshold=0.8",
                        "idallocator.health.high-utilisation-status=OUT_OF_SERVICE")
                .run(context -> {
                    context.getBean(IdAllocator.class).allocate(8);

                    assertThat(health(context, "idallocator").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(health(context, "idallocator", "orders").getStatus())
                            .isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(details(context, "orders")).containsEntry("highUtilisation", true);
                    assertThat(health(context, "idallocator", "workers").getStatus())
                            .isEqualTo(Status.UP);
                });
    }

    @Test
    void onlyFlagsHighUtilisationByDefault() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(9);

            assertThat(health(context, "idallocator").getStatus()).isEqualTo(Status.UP);
            assertThat(details(context, "orders")).containsEntry("highUtilisation", true);
        });
    }

    @Test
    void isAbsentWhenDisabled() {
        runner.withPropertyValues("management.health.idallocator.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(IdAllocatorHealthContributor.class));
    }

    @Test
    void isAbsentWithoutSpringBootHealth() {
        TestContexts.withRedis(redis, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues("idallocator.allocators.orders.max-id=9")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("idallocatorHealthContributor");
                    assertThat(context).hasSingleBean(IdAllocators.class);
                });
    }

    private static HealthDescriptor health(ApplicationContext context, String... path) {
        return context.getBean(HealthEndpoint.class).healthForPath(path);
    }

    private static Map<String, Object> details(ApplicationContext context, String allocator) {
        return ((IndicatedHealthDescriptor) health(context, "idallocator", allocator)).getDetails();
    }
}
