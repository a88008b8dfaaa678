package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code replica-acks}, {@code replica-ack-timeout} and {@code recovery-period} of allocators and of the Snowflake
 * worker-id allocator: defaults, binding into the core configuration, and start-up failures that name the property.
 */
@WithRedisServer
class ReplicaAckAndRecoveryPropertiesTests {

    private final ApplicationContextRunner runner;

    ReplicaAckAndRecoveryPropertiesTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis);
    }

    @Test
    void anAllocatorSendsNoWaitAndHandsIdsOutAtOnceByDefault() {
        IdAllocatorConfig config =
                CoreConfigMapping.allocator(bind(Map.of("idallocator.allocators.orders.max-id", "999")), "orders");

        assertThat(config.replicaAcks()).isZero();
        assertThat(config.replicaAckTimeout()).isEqualTo(IdAllocatorConfig.DEFAULT_REPLICA_ACK_TIMEOUT);
        assertThat(config.recoveryPeriod()).isZero();
    }

    @Test
    void theAllocatorBeanGetsItsReplicaAcksAckTimeoutAndRecoveryPeriod() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=999",
                        "idallocator.allocators.orders.default-ttl=30s",
                        "idallocator.allocators.orders.replica-acks=2",
                        "idallocator.allocators.orders.replica-ack-timeout=250ms",
                        "idallocator.allocators.orders.recovery-period=45s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    IdAllocatorConfig config =
                            context.getBean(IdAllocator.class).config();
                    assertThat(config.replicaAcks()).isEqualTo(2);
                    assertThat(config.replicaAckTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(config.recoveryPeriod()).isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void theWorkerIdAllocatorWaitsOutOneLeaseTimeAfterADataLossByDefault() {
        IdAllocatorProperties properties = bind(
                Map.of("idallocator.snowflake.lease-ttl", "20s", "idallocator.snowflake.heartbeat-interval", "5s"));

        IdAllocatorConfig config = CoreConfigMapping.snowflake(properties).workers();

        assertThat(config.recoveryPeriod()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.replicaAcks()).isZero();
        assertThat(config.replicaAckTimeout()).isEqualTo(IdAllocatorConfig.DEFAULT_REPLICA_ACK_TIMEOUT);
    }

    @Test
    void theWorkerIdAllocatorGetsItsReplicaAcksAckTimeoutAndRecoveryPeriod() {
        IdAllocatorProperties properties = bind(Map.of(
                "idallocator.snowflake.replica-acks", "1",
                "idallocator.snowflake.replica-ack-timeout", "2s",
                "idallocator.snowflake.recovery-period", "0"));

        IdAllocatorConfig config = CoreConfigMapping.snowflake(properties).workers();

        assertThat(config.replicaAcks()).isEqualTo(1);
        assertThat(config.replicaAckTimeout()).hasSeconds(2);
        assertThat(config.recoveryPeriod()).as("0 grants worker ids at once").isZero();
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.allocators.orders.replica-acks        | 17  | replicaAcks 17 of allocator 'orders' is out of range
            idallocator.allocators.orders.replica-acks        | -1  | replicaAcks -1 of allocator 'orders' is out of range
            idallocator.allocators.orders.replica-ack-timeout | 2m  | at least 1 ms and at most PT1M
            idallocator.allocators.orders.replica-ack-timeout | 0s  | replicaAckTimeout
            idallocator.allocators.orders.recovery-period     | 2h  | longer than PT1H
            idallocator.allocators.orders.recovery-period     | -1s | recoveryPeriod
            """)
    void aWrongAllocatorValueFailsStartUpNamingThePropertyAndTheValue(String property, String value, String reason) {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=999", property + "=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Invalid value '" + value + "' for configuration property '" + property + "'")
                            .contains(reason);
                    assertThat(analysis.getAction()).contains("idallocator.allocators.orders");
                });
    }

    @Test
    void aRecoveryPeriodShorterThanTheLeaseTimeFailsStartUp() {
        runner.withPropertyValues(
                        "idallocator.allocators.orders.max-id=999",
                        "idallocator.allocators.orders.default-ttl=5m",
                        "idallocator.allocators.orders.recovery-period=1m")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("'idallocator.allocators.orders.default-ttl'")
                            .contains("longer than its recoveryPeriod PT1M");
                });
    }

    @Test
    void aSnowflakeRecoveryPeriodShorterThanTheLeaseTimeFailsStartUpNamingLeaseTtl() {
        runner.withPropertyValues(
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.lease-ttl=30s",
                        "idallocator.snowflake.recovery-period=10s")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(
                                    "Invalid value '30s' for configuration property 'idallocator.snowflake.lease-ttl'")
                            .contains("recoveryPeriod PT10S");
                    assertThat(analysis.getAction()).contains("idallocator.snowflake", "lease-ttl");
                });
    }

    @Test
    void tooManySnowflakeReplicaAcksFailStartUpNamingTheProperty() {
        runner.withPropertyValues("idallocator.snowflake.enabled=true", "idallocator.snowflake.replica-acks=17")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Invalid value '17' for configuration property "
                                    + "'idallocator.snowflake.replica-acks'")
                            .contains("out of range");
                });
    }

    private static IdAllocatorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(IdAllocatorProperties.PREFIX, IdAllocatorProperties.class);
    }

    private static FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = new InvalidIdAllocatorPropertyFailureAnalyzer(null).analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }
}
