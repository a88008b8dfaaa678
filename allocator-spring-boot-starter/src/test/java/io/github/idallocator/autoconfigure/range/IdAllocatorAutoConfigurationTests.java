package io.github.idallocator.autoconfigure.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.ForwardingIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.spring.IdAllocatorDecorator;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@WithRedisServer
class IdAllocatorAutoConfigurationTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    IdAllocatorAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis);
    }

    @Test
    void theOnlyConfiguredAllocatorIsInjectedWithoutQualifier() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99").run(context -> {
            IdAllocator allocator = context.getBean(IdAllocator.class);
            assertThat(allocator.name()).isEqualTo("orders");
            assertThat(allocator.allocate().id()).isZero();
        });
    }

    @Test
    void eachOfSeveralAllocatorsIsInjectedByItsQualifier() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99", "idallocator.allocators.workers.max-id=1023")
                .withUserConfiguration(QualifiedInjection.class)
                .run(context -> {
                    QualifiedInjection injected = context.getBean(QualifiedInjection.class);
                    assertThat(injected.orders.name()).isEqualTo("orders");
                    assertThat(injected.workers.name()).isEqualTo("workers");
                    assertThat(injected.workers.config().maxId()).isEqualTo(1023);
                });
    }

    @Test
    void theConfiguredPrimaryAllocatorIsInjectedWithoutQualifier() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99",
                        "idallocator.allocators.workers.max-id=1023",
                        "idallocator.primary=workers")
                .run(context ->
                        assertThat(context.getBean(IdAllocator.class).name()).isEqualTo("workers"));
    }

    @Test
    void severalAllocatorsWithoutPrimaryFailAnUnqualifiedInjectionWithAHintToSetThePrimary() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99", "idallocator.allocators.workers.max-id=1023")
                .withUserConfiguration(UnqualifiedInjection.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalyses.ofNoPrimary(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("orders", "workers", "none of them is primary");
                    assertThat(analysis.getAction()).contains("idallocator.primary", "@Qualifier");
                });
    }

    @Test
    void theRegistryFindsAllocatorsByNameAndIteratesThemAll() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99", "idallocator.allocators.workers.max-id=1023")
                .run(context -> {
                    IdAllocators allocators = context.getBean(IdAllocators.class);
                    assertThat(allocators.get("workers")).isSameAs(context.getBean("workersIdAllocator"));
                    assertThat(allocators.find("unknown")).isEmpty();
                    assertThat(allocators).extracting(IdAllocator::name).containsExactlyInAnyOrder("orders", "workers");
                });
    }

    @Test
    void allAllocatorsShareOneInstanceIdMadeOfHostPidAndARandomSuffix() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99", "idallocator.allocators.workers.max-id=1023")
                .run(first -> runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                        .run(second -> {
                            String id = first.getBean("ordersIdAllocator", IdAllocator.class)
                                    .instanceId();
                            assertThat(first.getBean("workersIdAllocator", IdAllocator.class)
                                            .instanceId())
                                    .isEqualTo(id);
                            assertThat(id)
                                    .matches(".+-" + ProcessHandle.current().pid() + "-[0-9a-f]{8}");
                            assertThat(second.getBean(IdAllocator.class).instanceId())
                                    .isNotEqualTo(id);
                        }));
    }

    @Test
    void leasesAreOwnedByTheConfiguredInstanceIdUnderTheConfiguredKeyPrefix() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99",
                        "idallocator.instance-id=orders-service-1",
                        "idallocator.key-prefix=myapp:ids")
                .run(context -> {
                    Lease lease = context.getBean(IdAllocator.class).allocate();
                    assertThat(lease.owner()).isEqualTo("orders-service-1");
                    assertThat(redis.command("EXISTS", "myapp:ids:{orders}:meta"))
                            .isEqualTo(1L);
                    context.getBean(IdAllocator.class).free(lease);
                });
    }

    @Test
    void backsOffFromTheConfiguredAllocatorsWhenTheApplicationDefinesAnIdAllocator() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                .withUserConfiguration(OwnAllocator.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(IdAllocator.class);
                    assertThat(context).doesNotHaveBean("orders");
                    assertThat(context.getBean(IdAllocators.class).names()).containsExactly("mine");
                });
    }

    @Test
    void backsOffWithoutARedisConnectionFactory() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IdAllocatorAutoConfiguration.class))
                .withPropertyValues("idallocator.allocators.orders.max-id=99")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(IdAllocators.class);
                    assertThat(context).doesNotHaveBean(IdAllocator.class);
                });
    }

    @Test
    void backsOffWithoutSpringDataRedisOnTheClassPath() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                .withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class.getName(), "redis.clients"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(IdAllocators.class);
                });
    }

    @Test
    void isOffWhenDisabled() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99", "idallocator.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(IdAllocators.class);
                    assertThat(context).doesNotHaveBean(IdAllocator.class);
                    assertThat(context).doesNotHaveBean(IdAllocatorLifecycle.class);
                });
    }

    @Test
    void backsOffFromEachBeanTheApplicationDefines() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                .withBean(IdAllocators.class, () -> new IdAllocators(List.of()))
                .run(context -> {
                    assertThat(context).hasSingleBean(IdAllocators.class);
                    assertThat(context.getBean(IdAllocators.class).isEmpty()).isTrue();
                });
    }

    @Test
    void passesConfiguredAllocatorsThroughEveryDecoratorBean() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                .withBean(IdAllocatorDecorator.class, () -> Marked::new)
                .run(context -> assertThat(context.getBean(IdAllocator.class)).isInstanceOf(Marked.class));
    }

    @Test
    void anAllocatorNamedLikeAnOrdinaryBeanLeavesThatBeanItsName() {
        runner.withPropertyValues("idallocator.allocators.stringRedisTemplate.max-id=99")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("stringRedisTemplate")).isInstanceOf(StringRedisTemplate.class);
                    assertThat(context.getBean("stringRedisTemplateIdAllocator", IdAllocator.class)
                                    .name())
                            .isEqualTo("stringRedisTemplate");
                });
    }

    @Test
    void anAllocatorWhoseBeanNameIsTakenFailsStartUpNamingBoth() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99")
                .withBean("ordersIdAllocator", String.class, () -> "taken")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("idallocator.allocators.orders", "'ordersIdAllocator' is already taken");
                    assertThat(analysis.getAction()).contains("Rename the allocator");
                });
    }

    @Test
    void anUnreachableRedisFailsStartUpWithAHintAtTheRedisProperties() throws IOException {
        int port = closedPort();
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=99",
                        "spring.data.redis.host=localhost",
                        "spring.data.redis.port=" + port)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofStartupFailure(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Allocator 'orders' could not attach to Redis")
                            .contains("Redis at localhost:" + port + " is unavailable")
                            .doesNotContain("..");
                    assertThat(analysis.getAction()).contains("spring.data.redis.");
                });
    }

    @Test
    void aRangeThatDiffersFromTheStoredOneFailsStartUpWithAHintAtMinAndMaxId() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99").run(first -> runner.withPropertyValues(
                        "idallocator.key-prefix="
                                + first.getBean(IdAllocator.class).config().keyPrefix(),
                        "idallocator.allocators.orders.max-id=199")
                .run(second -> {
                    assertThat(second).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofStartupFailure(second.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("[0, 99]", "[0, 199]");
                    assertThat(analysis.getAction())
                            .contains("idallocator.allocators.orders.min-id", "idallocator.allocators.orders.max-id");
                }));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjection {

        @Autowired
        @Qualifier("orders")
        IdAllocator orders;

        @Autowired
        @Qualifier("workers")
        IdAllocator workers;
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedInjection {

        @Autowired
        IdAllocator allocator;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAllocator {

        @Bean
        IdAllocator mine(RedisConnectionFactory connectionFactory) {
            IdAllocatorConfig config = IdAllocatorConfig.builder("mine", 0, 9)
                    .keyPrefix(TestContexts.uniquePrefix())
                    .build();
            return RedisIdAllocator.createOrAttach(connectionFactory, config, "own-instance");
        }
    }

    static final class Marked extends ForwardingIdAllocator {

        Marked(IdAllocator delegate) {
            super(delegate);
        }
    }
}
