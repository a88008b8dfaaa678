package io.github.idallocator.autoconfigure.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.ForwardingLockService;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.LockLosses;
import io.github.idallocator.spring.LockServiceDecorator;
import io.github.idallocator.spring.LockServiceLifecycle;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
class LockAutoConfigurationTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    LockAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis, LockAutoConfiguration.class);
    }

    @Test
    void aLockServiceIsThereByDefaultWithTheCoreDefaults() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix).run(context -> {
            assertThat(context).hasSingleBean(LockService.class);
            assertThat(context).hasSingleBean(LockLosses.class);
            assertThat(context.getBean(LockService.class).config())
                    .isEqualTo(LockConfig.builder().keyPrefix(prefix).build());
        });
    }

    @Test
    void theSettingsComeFromTheProperties() {
        runner.withPropertyValues(
                        "idallocator.locks.namespace=jobs",
                        "idallocator.locks.lease-time=10s",
                        "idallocator.locks.wait-poll-bound=100ms",
                        "idallocator.locks.token-retention=0",
                        "idallocator.locks.max-hold-time=5m",
                        "idallocator.locks.replica-acks=1",
                        "idallocator.locks.replica-ack-timeout=500ms")
                .run(context -> {
                    LockConfig config = context.getBean(LockService.class).config();
                    assertThat(config.namespace()).isEqualTo("jobs");
                    assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(config.waitPollBound()).isEqualTo(Duration.ofMillis(100));
                    assertThat(config.tokenRetention()).isZero();
                    assertThat(config.maxHoldTime()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(config.replicaAcks()).isEqualTo(1);
                    assertThat(config.replicaAckTimeout()).isEqualTo(Duration.ofMillis(500));
                });
    }

    @Test
    void locksAreTakenInRedisUnderTheKeyPrefixAndNamespaceAsThisInstance() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.instance-id=instance-a",
                        "idallocator.locks.namespace=jobs")
                .run(context -> {
                    LockLease lease = context.getBean(LockService.class)
                            .tryAcquire("nightly")
                            .orElseThrow();

                    assertThat(lease.owner()).startsWith("instance-a:");
                    assertThat(redis.command("HGET", prefix + ":{jobs:nightly}:lock", "owner"))
                            .isEqualTo(lease.owner());
                });
    }

    @Test
    void theOwnerIdsStartWithTheAllocatorsGeneratedInstanceId() {
        runner.run(context -> {
            LockLease lease =
                    context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();

            assertThat(lease.owner())
                    .startsWith(context.getBean(IdAllocatorFactory.class).instanceId() + ":");
        });
    }

    @Test
    void theServiceStartsWithoutReachingRedis() throws IOException {
        runner.withPropertyValues("spring.data.redis.port=" + closedPort()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LockService.class);
        });
    }

    @Test
    void shutdownReleasesTheLocksStillHeld() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix).run(context -> {
            context.getBean(LockService.class).tryAcquire("nightly").orElseThrow();
            assertThat(redis.command("HEXISTS", prefix + ":{default:nightly}:lock", "owner"))
                    .isEqualTo(1L);

            context.close();

            assertThat(redis.command("HEXISTS", prefix + ":{default:nightly}:lock", "owner"))
                    .isEqualTo(0L);
        });
    }

    @Test
    void aStoppedContextRefusesNewAcquisitions() {
        runner.run(context -> {
            LockService locks = context.getBean(LockService.class);

            context.getBean(LockServiceLifecycle.class).stop();

            assertThatExceptionOfType(IdAllocatorException.class)
                    .isThrownBy(() -> locks.tryAcquire("nightly"))
                    .withMessageContaining("closed");
        });
    }

    @Test
    void isOffWhenDisabled() {
        runner.withPropertyValues("idallocator.locks.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LockService.class);
            assertThat(context).doesNotHaveBean(LockLosses.class);
            assertThat(context).doesNotHaveBean(LockServiceLifecycle.class);
        });
    }

    @Test
    void isOffWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LockService.class);
        });
    }

    @Test
    void backsOffFromALockServiceTheApplicationDefinesAndRecordsItsLosses() {
        runner.withUserConfiguration(OwnLockService.class).run(context -> {
            assertThat(context).hasSingleBean(LockService.class);
            assertThat(context.getBean(LockService.class).config().namespace()).isEqualTo("own");
            assertThat(context).doesNotHaveBean(LockServiceLifecycle.class);
            assertThat(context).hasSingleBean(LockLosses.class);
        });
    }

    @Test
    void decoratorsWrapTheServiceAndTheLifecycleClosesTheServiceItself() {
        runner.withUserConfiguration(NamingDecorator.class).run(context -> {
            LockService locks = context.getBean(LockService.class);

            assertThat(locks).isInstanceOf(NamingDecorator.Named.class);
            assertThat(((NamingDecorator.Named) locks).delegate())
                    .isSameAs(context.getBean(LockServiceLifecycle.class).service());
        });
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.locks.namespace           | a b   | lock namespace name 'a b' is invalid | Change idallocator.locks.namespace: use letters, digits
            idallocator.locks.lease-time          | 10ms  | must be PT0.03S to PT24H  | Change idallocator.locks.lease-time: use a duration such as PT30S
            idallocator.locks.wait-poll-bound     | 0s    | must be PT0.001S to PT1M  | Change idallocator.locks.wait-poll-bound: use a duration such as PT0.25S
            idallocator.locks.token-retention     | 8d    | must be PT0S to PT168H    | Change idallocator.locks.token-retention: use a duration such as PT1H
            idallocator.locks.max-hold-time       | -1s   | must be PT0S to PT24H     | Change idallocator.locks.max-hold-time: use zero
            idallocator.locks.replica-acks        | 17    | is out of range           | Change idallocator.locks.replica-acks: use 0 (no WAIT) to 16
            idallocator.locks.replica-ack-timeout | 0s    | must be at least 1 ms     | Change idallocator.locks.replica-ack-timeout: use a duration such as PT1S
            idallocator.health.lock-lost-window   | -1s   | it is negative            | such as 1m (the default)
            """)
    void aWrongValueFailsStartUpNamingThePropertyTheValueAndTheFix(
            String property, String value, String reason, String fix) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("Invalid value '" + value + "' for configuration property '" + property + "'", reason);
            assertThat(analysis.getAction()).contains(fix);
        });
    }

    @Test
    void lockSettingsAreNotCheckedWhileLocksAreDisabled() {
        runner.withPropertyValues("idallocator.locks.enabled=false", "idallocator.locks.lease-time=10ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theStartUpReportShowsWhereTheWrongValueWasWritten(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndLocks.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/lock-lease-too-short.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid value '10ms' for configuration property 'idallocator.locks.lease-time' "
                        + "(originating from 'class path resource [config-samples/lock-lease-too-short.yml] - 4:17')")
                .contains("leaseTime PT0.01S of lock namespace 'jobs' must be PT0.03S to PT24H")
                .contains("Change idallocator.locks.lease-time: use a duration such as PT30S (the default)");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLockService {

        @Bean(destroyMethod = "close")
        RedisLockService ownLocks(RedisConnectionFactory connectionFactory) {
            return RedisLockService.create(
                    connectionFactory, LockConfig.builder("own").build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NamingDecorator {

        @Bean
        LockServiceDecorator naming() {
            return Named::new;
        }

        /** A decorator that forwards everything. */
        static final class Named extends ForwardingLockService {
            Named(LockService delegate) {
                super(delegate);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataRedisAutoConfiguration.class,
        IdAllocatorAutoConfiguration.class,
        LockAutoConfiguration.class
    })
    static class RedisAndLocks {}
}
