package io.github.idallocator.autoconfigure.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.pool.ForwardingResourcePool;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.pool.ResourceInfo;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.ResourcePoolDecorator;
import io.github.idallocator.spring.ResourcePoolFactory;
import io.github.idallocator.spring.ResourcePoolLifecycle;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class PoolAutoConfigurationTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    PoolAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis, PoolAutoConfiguration.class);
    }

    @Test
    void noPoolIsCreatedUnlessOneIsConfigured() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ResourcePool.class);
            assertThat(context.getBean(ResourcePools.class)).isEmpty();
        });
    }

    @Test
    void aConfiguredPoolIsABeanNamedAfterItWithTheCoreDefaults() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(ResourcePool.class);
                    assertThat(context).hasBean("proxiesPool");
                    ResourcePool pool = context.getBean(ResourcePool.class);
                    assertThat(pool.config())
                            .isEqualTo(PoolConfig.builder("proxies")
                                    .keyPrefix(prefix)
                                    .build());
                    assertThat(context.getBean(ResourcePools.class).get("proxies"))
                            .isSameAs(pool);
                });
    }

    @Test
    void theSettingsComeFromTheProperties() {
        runner.withPropertyValues(
                        "idallocator.pools.accounts.key-prefix=accounts-prefix",
                        "idallocator.pools.accounts.max-holders=4",
                        "idallocator.pools.accounts.lease-time=10s",
                        "idallocator.pools.accounts.auto-renew=false",
                        "idallocator.pools.accounts.binding-ttl=5m",
                        "idallocator.pools.accounts.wait-poll-bound=100ms",
                        "idallocator.pools.accounts.unhealthy-threshold=5",
                        "idallocator.pools.accounts.unhealthy-window=30s",
                        "idallocator.pools.accounts.maintenance-interval=2s",
                        "idallocator.pools.accounts.health-check-timeout=750ms")
                .run(context -> {
                    PoolConfig config = context.getBean(ResourcePool.class).config();
                    assertThat(config.keyPrefix()).isEqualTo("accounts-prefix");
                    assertThat(config.maxHolders()).isEqualTo(4);
                    assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(config.autoRenew()).isFalse();
                    assertThat(config.bindingTtl()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(config.waitPollBound()).isEqualTo(Duration.ofMillis(100));
                    assertThat(config.unhealthyThreshold()).isEqualTo(5);
                    assertThat(config.unhealthyWindow()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(config.maintenanceInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.healthCheckTimeout()).isEqualTo(Duration.ofMillis(750));
                });
    }

    @Test
    void eachPoolIsInjectedByItsQualifierAndABeanOfThePoolsNameStaysFree() {
        runner.withUserConfiguration(QualifiedInjection.class)
                .withPropertyValues(
                        "idallocator.pools.proxies.enabled=true", "idallocator.pools.accounts.max-holders=2")
                .run(context -> {
                    QualifiedInjection injected = context.getBean(QualifiedInjection.class);
                    assertThat(injected.proxies.name()).isEqualTo("proxies");
                    assertThat(injected.accounts.name()).isEqualTo("accounts");
                    assertThat(context.getBean("proxies")).isEqualTo("an ordinary bean named like the pool");
                    assertThat(context.getBean(ResourcePools.class).names()).containsExactly("proxies", "accounts");
                });
    }

    @Test
    void theOnlyPoolIsInjectedWithoutAQualifier() {
        runner.withUserConfiguration(UnqualifiedInjection.class)
                .withPropertyValues("idallocator.pools.proxies.enabled=true", "idallocator.pools.old.enabled=false")
                .run(context -> assertThat(
                                context.getBean(UnqualifiedInjection.class).pool.name())
                        .isEqualTo("proxies"));
    }

    @Test
    void aDisabledPoolIsNeitherCreatedNorChecked() {
        runner.withPropertyValues(
                        "idallocator.pools.proxies.enabled=true",
                        "idallocator.pools.old.enabled=false",
                        "idallocator.pools.old.lease-time=1ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ResourcePools.class).names()).containsExactly("proxies");
                    assertThat(context).doesNotHaveBean("oldPool");
                });
    }

    @Test
    void isOffWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.enabled=false", "idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ResourcePool.class);
                    assertThat(context).doesNotHaveBean(ResourcePools.class);
                    assertThat(context).doesNotHaveBean(ResourcePoolLifecycle.class);
                });
    }

    @Test
    void theConfiguredResourcesAreAddedAtStartUpWithTheirPriorityAndMetadata() {
        runner.withPropertyValues(
                        "idallocator.pools.proxies.resources[0]=10.0.0.1:3128",
                        "idallocator.pools.proxies.resources[1].name=10.0.0.2:3128",
                        "idallocator.pools.proxies.resources[1].priority=5",
                        "idallocator.pools.proxies.resources[1].metadata=eu-west")
                .run(context -> {
                    Map<String, ResourceInfo> resources = resources(context.getBean(ResourcePool.class));

                    assertThat(resources).containsOnlyKeys("10.0.0.1:3128", "10.0.0.2:3128");
                    assertThat(resources.get("10.0.0.1:3128").priority()).isZero();
                    assertThat(resources.get("10.0.0.1:3128").metadata()).isEmpty();
                    assertThat(resources.get("10.0.0.2:3128").priority()).isEqualTo(5);
                    assertThat(resources.get("10.0.0.2:3128").metadata()).isEqualTo("eu-west");
                });
    }

    @Test
    void resourcesWrittenAsAListOfNamesAreAdded() {
        runner.withPropertyValues("idallocator.pools.proxies.resources=proxy-1,proxy-2,proxy-3")
                .run(context -> assertThat(resources(context.getBean(ResourcePool.class)))
                        .containsOnlyKeys("proxy-1", "proxy-2", "proxy-3"));
    }

    @Test
    void seedingAgainAtTheNextStartKeepsTheResourcesAndTakesTheConfiguredPriority() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.pools.proxies.resources=proxy-1")
                .run(first -> {
                    ResourcePool pool = first.getBean(ResourcePool.class);
                    pool.add("proxy-2");
                    pool.add("proxy-1", 9, "set at run time");

                    runner.withPropertyValues(
                                    "idallocator.key-prefix=" + prefix,
                                    "idallocator.pools.proxies.resources[0].name=proxy-1",
                                    "idallocator.pools.proxies.resources[0].priority=1")
                            .run(second -> {
                                Map<String, ResourceInfo> resources = resources(second.getBean(ResourcePool.class));
                                assertThat(resources).containsOnlyKeys("proxy-1", "proxy-2");
                                assertThat(resources.get("proxy-1").priority()).isEqualTo(1);
                                assertThat(resources.get("proxy-1").metadata()).isEqualTo("set at run time");
                            });
                });
    }

    @Test
    void leasesAreTakenUnderTheKeyPrefixAsThisInstance() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.instance-id=instance-a",
                        "idallocator.pools.proxies.resources=proxy-1")
                .run(context -> {
                    ResourceLease lease =
                            context.getBean(ResourcePool.class).tryAcquire().orElseThrow();

                    assertThat(lease.owner()).startsWith("instance-a:");
                    assertThat(redis.command("HEXISTS", prefix + ":{pool:proxies}:leases", lease.owner()))
                            .isEqualTo(1L);
                    assertThat(context.getBean(IdAllocatorFactory.class).instanceId())
                            .isEqualTo("instance-a");
                });
    }

    @Test
    void shutdownReleasesTheLeasesStillHeld() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.pools.proxies.resources=proxy-1")
                .run(context -> {
                    ResourceLease lease =
                            context.getBean(ResourcePool.class).tryAcquire().orElseThrow();
                    assertThat(redis.command("HEXISTS", prefix + ":{pool:proxies}:leases", lease.owner()))
                            .isEqualTo(1L);

                    context.close();

                    assertThat(redis.command("HEXISTS", prefix + ":{pool:proxies}:leases", lease.owner()))
                            .isEqualTo(0L);
                });
    }

    @Test
    void aStoppedContextRefusesNewAcquisitions() {
        runner.withPropertyValues("idallocator.pools.proxies.resources=proxy-1").run(context -> {
            ResourcePool pool = context.getBean(ResourcePool.class);

            context.getBean(ResourcePoolLifecycle.class).stop();

            assertThatExceptionOfType(IdAllocatorException.class)
                    .isThrownBy(pool::tryAcquire)
                    .withMessageContaining("closed");
        });
    }

    @Test
    void decoratorsWrapEachPoolAndTheLifecycleClosesThePoolItself() {
        runner.withUserConfiguration(NamingDecorator.class)
                .withPropertyValues("idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    ResourcePool pool = context.getBean(ResourcePool.class);

                    assertThat(pool).isInstanceOf(NamingDecorator.Named.class);
                    assertThat(((NamingDecorator.Named) pool).delegate())
                            .isSameAs(context.getBean(ResourcePoolLifecycle.class)
                                    .pools()
                                    .get(0));
                });
    }

    @Test
    void backsOffFromPoolsTheApplicationDefinesAndListsThemInTheRegistry() {
        runner.withUserConfiguration(OwnPool.class)
                .withPropertyValues("idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(ResourcePool.class);
                    assertThat(context).doesNotHaveBean("proxiesPool");
                    assertThat(context.getBean(ResourcePools.class).names()).containsExactly("own");
                });
    }

    @Test
    void theHealthCheckQualifiedWithThePoolsNameProbesItsQuarantinedResources() {
        runner.withUserConfiguration(HealthChecks.class)
                .withPropertyValues(
                        "idallocator.pools.proxies.resources=proxy-1",
                        "idallocator.pools.proxies.maintenance-interval=100ms",
                        "idallocator.pools.accounts.resources=account-1",
                        "idallocator.pools.accounts.maintenance-interval=100ms")
                .run(context -> {
                    ResourcePools pools = context.getBean(ResourcePools.class);
                    pools.get("proxies").quarantine("proxy-1", Duration.ofMinutes(5), "test");
                    pools.get("accounts").quarantine("account-1", Duration.ofMinutes(5), "test");

                    org.awaitility.Awaitility.await()
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> pools.get("proxies").tryAcquire().isPresent()
                                    && pools.get("accounts").tryAcquire().isPresent());
                    HealthChecks checks = context.getBean(HealthChecks.class);
                    assertThat(checks.probed).containsKeys("proxies:proxy-1", "all:account-1");
                    assertThat(checks.probed).doesNotContainKeys("all:proxy-1", "proxies:account-1");
                });
    }

    @Test
    void withoutAHealthCheckBeanQuarantinedResourcesStayQuarantinedUntilTheirTimeEnds() {
        runner.withPropertyValues(
                        "idallocator.pools.proxies.resources=proxy-1",
                        "idallocator.pools.proxies.maintenance-interval=100ms")
                .run(context -> {
                    ResourcePool pool = context.getBean(ResourcePool.class);
                    pool.quarantine("proxy-1", Duration.ofMinutes(5), "test");

                    Thread.sleep(500);

                    assertThat(pool.tryAcquire()).isEmpty();
                });
    }

    @Test
    void twoHealthChecksForNoPoolInParticularFailStartUp() {
        runner.withUserConfiguration(TwoGeneralHealthChecks.class)
                .withPropertyValues("idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("Pool 'proxies' has 2 ResourceHealthCheck beans")
                            .hasMessageContaining("@Qualifier(\"<pool name>\")");
                });
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.pools.proxies.max-holders             | 0        | maxHolders 0 of pool 'proxies' must be 1 to 10000 | Change idallocator.pools.proxies.max-holders: use 1 (exclusive) for one holder
            idallocator.pools.proxies.lease-time              | 10ms     | must be PT0.03S to PT24H  | Change idallocator.pools.proxies.lease-time: use a duration such as PT30S
            idallocator.pools.proxies.binding-ttl             | 31d      | must be PT1S to PT720H    | Change idallocator.pools.proxies.binding-ttl: use a duration such as PT1H
            idallocator.pools.proxies.wait-poll-bound         | 0s       | must be PT0.001S to PT1M  | Change idallocator.pools.proxies.wait-poll-bound: use a duration such as PT0.25S
            idallocator.pools.proxies.unhealthy-threshold     | 0        | must be 1 to 1000         | Change idallocator.pools.proxies.unhealthy-threshold: use 3 (the default)
            idallocator.pools.proxies.unhealthy-window        | 0s       | must be PT1S to PT24H     | Change idallocator.pools.proxies.unhealthy-window: use a duration such as PT1M
            idallocator.pools.proxies.maintenance-interval    | 10ms     | must be PT0.1S to PT1H    | Change idallocator.pools.proxies.maintenance-interval: use a duration such as PT5S
            idallocator.pools.proxies.health-check-timeout    | 11m      | must be PT0.001S to PT10M | Change idallocator.pools.proxies.health-check-timeout: use a duration such as PT5S
            idallocator.pools.proxies.key-prefix              | a b      | key prefix                | Change idallocator.pools.proxies.key-prefix
            idallocator.pools.proxies.resources[0].name       | a{b}     | resource 'a{b}' of pool 'proxies' is invalid | Change idallocator.pools.proxies.resources[0].name: use a name such as proxy-eu-1
            idallocator.pools[a b].max-holders                | 2        | pool name 'a b' is invalid | Rename the pool
            idallocator.health.pool-unusable-status           | ' '      | it is blank               | such as OUT_OF_SERVICE (the default)
            idallocator.health.timeout                        | 0s       | it must be 1ms to 1m      | such as 1s (the default)
            """)
    void aWrongValueFailsStartUpNamingThePropertyTheValueAndTheFix(
            String property, String value, String reason, String fix) {
        runner.withPropertyValues(property + "=" + value, "idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains(reason);
                    assertThat(analysis.getAction()).contains(fix);
                });
    }

    @Test
    void aResourcePriorityOutOfRangeFailsStartUpNamingTheEntry() {
        runner.withPropertyValues(
                        "idallocator.pools.proxies.resources[0].name=proxy-1",
                        "idallocator.pools.proxies.resources[0].priority=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(
                                    "'idallocator.pools.proxies.resources[0].priority'",
                                    "priority -1 of pool 'proxies' must be 0 to 1000000");
                    assertThat(analysis.getAction())
                            .contains("Change idallocator.pools.proxies.resources[0].priority: use 0 (served first)");
                });
    }

    @Test
    void theStartUpReportShowsWhereTheWrongResourceWasWritten(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndPools.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/pool-resource-invalid.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid value '10.0.0.2 3128' for configuration property "
                        + "'idallocator.pools.proxies.resources[1]' (originating from 'class path resource "
                        + "[config-samples/pool-resource-invalid.yml] - 6:11')")
                .contains("resource '10.0.0.2 3128' of pool 'proxies' is invalid")
                .contains("Change idallocator.pools.proxies.resources[1]: use a name such as proxy-eu-1");
    }

    @Test
    void aResourceNameMissingFromItsEntryFailsStartUpNamingTheEntry() {
        runner.withPropertyValues("idallocator.pools.proxies.resources[0].priority=1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(
                                    "'idallocator.pools.proxies.resources[0].name'", "resource null of pool 'proxies'");
                });
    }

    @Test
    void aResourceListedTwiceFailsStartUpNamingBothEntries() {
        runner.withPropertyValues("idallocator.pools.proxies.resources=proxy-1,proxy-2,proxy-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(
                                    "'idallocator.pools.proxies.resources[2].name'",
                                    "listed twice (first as idallocator.pools.proxies.resources[0])");
                });
    }

    @Test
    void aPoolStoredWithOtherMaxHoldersFailsStartUpWithAHintAtMaxHolders() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.pools.proxies.max-holders=2")
                .run(first -> runner.withPropertyValues(
                                "idallocator.key-prefix=" + prefix, "idallocator.pools.proxies.max-holders=3")
                        .run(second -> {
                            assertThat(second).hasFailed();
                            FailureAnalysis analysis = FailureAnalyses.ofPoolStartupFailure(second.getStartupFailure());
                            assertThat(analysis.getDescription())
                                    .contains("Pool 'proxies' could not attach to Redis", "maxHolders 2", "with 3");
                            assertThat(analysis.getAction()).contains("idallocator.pools.proxies.max-holders");
                        }));
    }

    @Test
    void anUnreachableRedisFailsStartUpWithAHintAtTheRedisProperties() throws IOException {
        runner.withPropertyValues("idallocator.pools.proxies.enabled=true", "spring.data.redis.port=" + closedPort())
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofPoolStartupFailure(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Pool 'proxies' could not attach to Redis");
                    assertThat(analysis.getAction()).contains("spring.data.redis.");
                });
    }

    @Test
    void thePoolsBeanNameTakenByAnotherBeanFailsStartUp() {
        runner.withUserConfiguration(TakenBeanName.class)
                .withPropertyValues("idallocator.pools.proxies.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("idallocator.pools.proxies", "'proxiesPool'");
                    assertThat(analysis.getAction()).contains("Rename the pool");
                });
    }

    @Test
    void theFactoryCreatesFurtherPoolsClosedWithTheContext() {
        runner.run(context -> {
            RedisResourcePool extra = context.getBean(ResourcePoolFactory.class)
                    .create(
                            new ResourcePoolFactory.ConfiguredPool(
                                    PoolConfig.builder("extra").build(),
                                    java.util.List.of(new ResourcePoolFactory.Seed("slot-1", 0, null))),
                            null);
            assertThat(extra.tryAcquire()).isPresent();

            context.close();

            assertThatExceptionOfType(IdAllocatorException.class).isThrownBy(extra::tryAcquire);
        });
    }

    private static Map<String, ResourceInfo> resources(ResourcePool pool) {
        return pool.snapshot(null, 1000).resources().stream()
                .collect(Collectors.toMap(ResourceInfo::name, Function.identity()));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataRedisAutoConfiguration.class,
        IdAllocatorAutoConfiguration.class,
        PoolAutoConfiguration.class
    })
    static class RedisAndPools {}

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjection {

        @Autowired
        @Qualifier("proxies")
        ResourcePool proxies;

        @Autowired
        @Qualifier("accounts")
        ResourcePool accounts;

        @Bean
        String proxies() {
            return "an ordinary bean named like the pool";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedInjection {

        @Autowired
        ResourcePool pool;
    }

    @Configuration(proxyBeanMethods = false)
    static class NamingDecorator {

        @Bean
        ResourcePoolDecorator naming() {
            return Named::new;
        }

        /** A decorator that forwards everything. */
        static final class Named extends ForwardingResourcePool {
            Named(ResourcePool delegate) {
                super(delegate);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {

        @Bean(destroyMethod = "close")
        RedisResourcePool ownPool(RedisConnectionFactory connectionFactory) {
            return RedisResourcePool.createOrAttach(
                    connectionFactory, PoolConfig.builder("own").build(), "own-instance");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HealthChecks {

        final Map<String, Boolean> probed = new java.util.concurrent.ConcurrentHashMap<>();

        @Bean
        @Qualifier("proxies")
        ResourceHealthCheck proxiesCheck() {
            return (resource, metadata) -> {
                probed.put("proxies:" + resource, true);
                return true;
            };
        }

        @Bean
        ResourceHealthCheck everyOtherPoolsCheck() {
            return (resource, metadata) -> {
                probed.put("all:" + resource, true);
                return true;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoGeneralHealthChecks {

        @Bean
        ResourceHealthCheck first() {
            return (resource, metadata) -> true;
        }

        @Bean
        ResourceHealthCheck second() {
            return (resource, metadata) -> true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TakenBeanName {

        @Bean
        String proxiesPool() {
            return "taken";
        }
    }
}
