package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.actuate.endpoint.PoolDescriptor.HeldLeaseDescriptor;
import io.github.idallocator.spring.actuate.endpoint.PoolDescriptor.ResourceDescriptor;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class PoolEndpointTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    PoolEndpointTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis, PoolAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator",
                        "idallocator.instance-id=instance-a",
                        "idallocator.pools.proxies.max-holders=2",
                        "idallocator.pools.proxies.lease-time=10s",
                        "idallocator.pools.proxies.maintenance-interval=100ms",
                        "idallocator.pools.proxies.resources[0].name=proxy-1",
                        "idallocator.pools.proxies.resources[0].metadata=eu-west",
                        "idallocator.pools.proxies.resources[1].name=proxy-2",
                        "idallocator.pools.proxies.resources[1].priority=3");
    }

    @Test
    void showsEachPoolsConfigurationTotalsResourcesAndTheLeasesThisInstanceHolds() {
        runner.run(context -> {
            ResourcePool pool = context.getBean(ResourcePool.class);
            ResourceLease lease = pool.tryAcquire().orElseThrow();
            pool.quarantine("proxy-2", Duration.ofMinutes(5), "timeouts");

            PoolDescriptor shown = context.getBean(IdAllocatorEndpoint.class)
                    .allocators()
                    .pools()
                    .get("proxies");

            assertThat(shown.name()).isEqualTo("proxies");
            assertThat(shown.instanceId()).isEqualTo("instance-a");
            assertThat(shown.configuration().maxHolders()).isEqualTo(2);
            assertThat(shown.configuration().leaseTime()).isEqualTo("PT10S");
            assertThat(shown.configuration().autoRenew()).isTrue();
            assertThat(shown.totals().resources()).isEqualTo(2);
            assertThat(shown.totals().leases()).isEqualTo(1);
            assertThat(shown.totals().quarantined()).isEqualTo(1);
            assertThat(shown.readAt()).isNotNull();
            assertThat(shown.error()).isNull();
            assertThat(shown.nextCursor()).isNull();
            assertThat(shown.resources()).extracting(ResourceDescriptor::name).containsExactly("proxy-1", "proxy-2");
            ResourceDescriptor first = shown.resources().get(0);
            assertThat(first.state()).isEqualTo("ACTIVE");
            assertThat(first.metadata()).isEqualTo("eu-west");
            assertThat(first.maxHolders()).isEqualTo(2);
            assertThat(first.holders()).singleElement().satisfies(holder -> {
                assertThat(holder.owner()).isEqualTo(lease.owner());
                assertThat(holder.fencingToken()).isEqualTo(lease.fencingToken());
            });
            ResourceDescriptor second = shown.resources().get(1);
            assertThat(second.state()).isEqualTo("QUARANTINED");
            assertThat(second.priority()).isEqualTo(3);
            assertThat(second.quarantineReason()).isEqualTo("timeouts");
            assertThat(second.quarantinedUntil()).isNotNull();
            assertThat(shown.held()).singleElement().satisfies(held -> {
                assertThat(held.resource()).isEqualTo("proxy-1");
                assertThat(held.owner()).isEqualTo(lease.owner()).startsWith("instance-a:");
                assertThat(held.fencingToken()).isEqualTo(lease.fencingToken());
                assertThat(held.remainingMillis()).isBetween(1L, 10_000L);
            });
        });
    }

    @Test
    void showsTheCreatorRoleOnceThisInstanceHoldsIt() {
        runner.run(context -> {
            IdAllocatorEndpoint endpoint = context.getBean(IdAllocatorEndpoint.class);

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "CREATOR"
                    .equals(endpoint.allocators().pools().get("proxies").role()));
        });
    }

    @Test
    void showsTheWaitersOfEveryInstanceButOnlyTheLeasesOfThisOne() {
        runner.run(context -> {
            ResourcePool pool = context.getBean(ResourcePool.class);
            try (RedisResourcePool other = RedisResourcePool.createOrAttach(
                    context.getBean(RedisConnectionFactory.class), pool.config(), "instance-b")) {
                other.tryAcquire().orElseThrow();
                other.tryAcquire().orElseThrow();
                other.tryAcquire().orElseThrow();
                other.tryAcquire().orElseThrow();
                CompletableFuture<?> waiting = CompletableFuture.runAsync(() -> other.tryAcquire(
                        Duration.ofSeconds(2), AcquireOptions.defaults().waiterPriority(7)));

                Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !waiters(context)
                        .isEmpty());
                PoolDescriptor shown = context.getBean(IdAllocatorEndpoint.class)
                        .allocators()
                        .pools()
                        .get("proxies");
                assertThat(shown.waiters()).singleElement().satisfies(waiter -> {
                    assertThat(waiter.priority()).isEqualTo(7);
                    assertThat(waiter.ticket()).startsWith("instance-b:");
                });
                assertThat(shown.held()).extracting(HeldLeaseDescriptor::owner).isEmpty();
                assertThat(shown.totals().leases()).isEqualTo(4);
                waiting.join();
            }
        });
    }

    @Test
    void showsThePoolWithAnErrorWhenRedisCannotBeRead() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(own, PoolAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                    .withPropertyValues(
                            "management.endpoints.web.exposure.include=idallocator",
                            "spring.data.redis.timeout=500ms",
                            "idallocator.pools.proxies.resources=proxy-1")
                    .run(context -> {
                        context.getBean(ResourcePool.class).tryAcquire().orElseThrow();

                        own.kill();

                        PoolDescriptor shown = context.getBean(IdAllocatorEndpoint.class)
                                .allocators()
                                .pools()
                                .get("proxies");
                        assertThat(shown.error()).isNotBlank();
                        assertThat(shown.totals()).isNull();
                        assertThat(shown.held())
                                .extracting(HeldLeaseDescriptor::resource)
                                .containsExactly("proxy-1");
                        assertThat(shown.configuration().maxHolders()).isEqualTo(1);
                    });
        }
    }

    @Test
    void hasAnEmptyPoolsSectionWithoutPools() {
        TestContexts.withRedis(redis, PoolAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues("management.endpoints.web.exposure.include=idallocator")
                .run(context -> assertThat(context.getBean(IdAllocatorEndpoint.class)
                                .allocators()
                                .pools())
                        .isEmpty());
    }

    @Test
    void withoutActuatorThereIsNoEndpointAndThePoolsStillWork() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(IdAllocatorEndpoint.class);
                    assertThat(context.getBean(ResourcePool.class).tryAcquire()).isPresent();
                });
    }

    private static List<?> waiters(ApplicationContext context) {
        Map<String, PoolDescriptor> pools =
                context.getBean(IdAllocatorEndpoint.class).allocators().pools();
        List<?> waiters = pools.get("proxies").waiters();
        return waiters == null ? List.of() : waiters;
    }
}
