package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.AllocatorDescriptor;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.AllocatorsDescriptor;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class IdAllocatorEndpointTests {

    private final ApplicationContextRunner runner;

    IdAllocatorEndpointTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator",
                        "idallocator.instance-id=instance-a",
                        "idallocator.allocators.orders.min-id=1",
                        "idallocator.allocators.orders.max-id=100",
                        "idallocator.allocators.orders.release-on-shutdown=true",
                        "idallocator.allocators.workers.max-id=9",
                        "idallocator.primary=orders");
    }

    @Test
    void listsEveryAllocatorWithItsStatsRoleCreatorAndConfiguration() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate(4);

            AllocatorsDescriptor all =
                    context.getBean(IdAllocatorEndpoint.class).allocators();

            assertThat(all.allocators()).containsOnlyKeys("orders", "workers");
            AllocatorDescriptor orders = all.allocators().get("orders");
            assertThat(orders.instanceId()).isEqualTo("instance-a");
            assertThat(orders.role()).isEqualTo("CREATOR");
            assertThat(orders.error()).isNull();
            assertThat(orders.stats().minId()).isEqualTo(1);
            assertThat(orders.stats().maxId()).isEqualTo(100);
            assertThat(orders.stats().allocated()).isEqualTo(4);
            assertThat(orders.stats().available()).isEqualTo(96);
            assertThat(orders.stats().utilisation()).isEqualTo(0.04);
            assertThat(orders.stats().creator().instanceId()).isEqualTo("instance-a");
            assertThat(Duration.parse(orders.stats().creator().leaseRemaining()))
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(15));
            assertThat(Duration.parse(orders.stats().creator().heartbeatAge())).isLessThan(Duration.ofSeconds(5));
            assertThat(orders.configuration().creatorTtl()).isEqualTo("PT15S");
            assertThat(orders.configuration().releaseOnShutdown()).isTrue();
            assertThat(Duration.parse(orders.lastHeartbeat())).isLessThan(Duration.ofSeconds(5));
        });
    }

    @Test
    void showsOneAllocatorByName() {
        runner.run(context -> {
            AllocatorDescriptor workers =
                    context.getBean(IdAllocatorEndpoint.class).allocator("workers");

            assertThat(workers.name()).isEqualTo("workers");
            assertThat(workers.stats().size()).isEqualTo(10);
        });
    }

    @Test
    void answersNothingForAnUnknownName() {
        runner.run(context -> {
            IdAllocatorEndpoint endpoint = context.getBean(IdAllocatorEndpoint.class);
            assertThat(endpoint.allocator("unknown")).isNull();
            assertThat(endpoint.cleanup("unknown")).isNull();
            assertThat(endpoint.forceFree("unknown", 1)).isNull();
        });
    }

    @Test
    void overHttpTheWriteOperationsAnswer404ForAnUnknownName() {
        runner.run(context -> {
            IdAllocatorEndpointWebExtension web = context.getBean(IdAllocatorEndpointWebExtension.class);

            assertThat(web.cleanup("unknown").getStatus()).isEqualTo(404);
            assertThat(web.forceFree("unknown", 1).getStatus()).isEqualTo(404);
            assertThat(web.cleanup("orders").getStatus()).isEqualTo(200);
        });
    }

    @Test
    void isReadOnlyUnlessTheOperatorGrantsMoreAccess() {
        Endpoint endpoint = MergedAnnotations.from(IdAllocatorEndpoint.class)
                .get(Endpoint.class)
                .synthesize();

        assertThat(endpoint.id()).isEqualTo("idallocator");
        assertThat(endpoint.defaultAccess()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void cleanupReclaimsExpiredLeasesOnTheCreator() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            orders.allocate(2, Duration.ofMillis(1));
            Thread.sleep(20);

            IdAllocatorEndpoint.CleanupDescriptor cleanup =
                    context.getBean(IdAllocatorEndpoint.class).cleanup("orders");

            assertThat(cleanup.ran()).isTrue();
            assertThat(cleanup.reclaimed()).isEqualTo(2);
        });
    }

    @Test
    void forceFreeEndsTheLeaseOfAnotherInstance() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            IdAllocator other = RedisIdAllocator.createOrAttach(
                    context.getBean(RedisConnectionFactory.class), orders.config(), "instance-b");
            Lease lease = other.allocate();

            IdAllocatorEndpoint.ForceFreeDescriptor result =
                    context.getBean(IdAllocatorEndpoint.class).forceFree("orders", lease.id());

            assertThat(result.freed()).isTrue();
            assertThat(orders.isAllocated(lease.id())).isFalse();
        });
    }

    @Test
    void forceFreeOfAnIdOutsideTheRangeIsABadRequest() {
        runner.run(context -> assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> context.getBean(IdAllocatorEndpoint.class).forceFree("orders", 1000))
                .withMessageContaining("outside"));
    }

    @Test
    void isAbsentWhenNotExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(IdAllocatorEndpoint.class));
    }

    @Test
    void hasNoWebExtensionWhenExposedOverJmxOnly() {
        runner.withPropertyValues(
                        "management.endpoints.web.exposure.include=health",
                        "spring.jmx.enabled=true",
                        "management.endpoints.jmx.exposure.include=idallocator")
                .run(context -> {
                    assertThat(context).hasSingleBean(IdAllocatorEndpoint.class);
                    assertThat(context).doesNotHaveBean(IdAllocatorEndpointWebExtension.class);
                });
    }

    @Test
    void isAbsentWithoutActuator() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(IdAllocatorEndpoint.class);
                    assertThat(context).hasSingleBean(IdAllocators.class);
                });
    }

    @Test
    void isAbsentWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(IdAllocatorEndpoint.class));
    }

    @Test
    void backsOffFromAnEndpointTheApplicationDefines() {
        runner.withBean(
                        "myEndpoint",
                        IdAllocatorEndpoint.class,
                        () -> new IdAllocatorEndpoint(new IdAllocators(List.of()), null, Set.of()))
                .run(context -> assertThat(context)
                        .getBeanNames(IdAllocatorEndpoint.class)
                        .containsExactly("myEndpoint"));
    }
}
