package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class IdAllocatorPropertiesTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    IdAllocatorPropertiesTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis);
    }

    @Test
    void anAllocatorWithOnlyMaxIdGetsTheCoreDefaults() {
        IdAllocatorProperties properties = bind(Map.of("idallocator.allocators.orders.max-id", "999"));

        IdAllocatorConfig config = CoreConfigMapping.allocator(properties, "orders");

        assertThat(config).isEqualTo(IdAllocatorConfig.builder("orders", 0, 999).build());
        assertThat(properties.allocators().get("orders").releaseOnShutdown()).isFalse();
    }

    @Test
    void topLevelDefaultsAreOnWithTheCoreKeyPrefixAndAGeneratedInstanceId() {
        IdAllocatorProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.keyPrefix()).isEqualTo(IdAllocatorConfig.DEFAULT_KEY_PREFIX);
        assertThat(properties.instanceId()).isNull();
        assertThat(properties.primary()).isNull();
        assertThat(properties.health().utilisationThreshold()).isEqualTo(0.9);
        assertThat(properties.health().highUtilisationStatus()).isEqualTo("UP");
    }

    @Test
    void durationsAreWrittenTheSpringBootWay() {
        IdAllocatorProperties properties = bind(Map.of(
                "idallocator.allocators.orders.max-id", "999",
                "idallocator.allocators.orders.default-ttl", "30s",
                "idallocator.allocators.orders.reuse-delay", "0",
                "idallocator.allocators.orders.creator-ttl", "1m",
                "idallocator.allocators.orders.heartbeat-interval", "20s"));

        IdAllocatorConfig config = CoreConfigMapping.allocator(properties, "orders");

        assertThat(config.defaultTtl()).hasSeconds(30);
        assertThat(config.reuseDelay()).isZero();
        assertThat(config.creatorTtl()).hasMinutes(1);
        assertThat(config.heartbeatInterval()).hasSeconds(20);
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.allocators.orders.min-id             | 1000  | below minId 1000        | Change idallocator.allocators.orders.max-id: use 1000 or more
            idallocator.allocators.orders.min-id             | -1    | ids start at 0          | Change idallocator.allocators.orders.min-id: use 0 or more
            idallocator.allocators.orders.max-id             | 5000000000 | more than 4294967296 ids | Change idallocator.allocators.orders.max-id: use a maxId of at most 4294967295
            idallocator.allocators.orders.default-ttl        | 0s    | at least 1 ms           | Change idallocator.allocators.orders.default-ttl: use a duration in that range
            idallocator.allocators.orders.reuse-delay        | -1s   | zero or more            | Change idallocator.allocators.orders.reuse-delay: use a duration such as PT1S
            idallocator.allocators.orders.cleanup-interval   | 0s    | at least 1 ms           | Change idallocator.allocators.orders.cleanup-interval: use a duration such as PT10S
            idallocator.allocators.orders.creator-ttl        | 0s    | at least 1 ms           | Change idallocator.allocators.orders.creator-ttl: use a duration such as PT15S
            idallocator.allocators.orders.heartbeat-interval | 15s   | not shorter than creatorTtl PT15S | Change idallocator.allocators.orders.heartbeat-interval: use at most a third of creatorTtl (PT5S)
            idallocator.key-prefix                           | my{app} | would break the Redis key scheme | Change idallocator.key-prefix: use only the characters
            idallocator.instance-id                          | my host | would break the Redis key scheme | Change idallocator.instance-id: use only the characters
            idallocator.primary                              | payments | names no configured allocator | Set idallocator.primary to one of [orders]
            idallocator.health.utilisation-threshold         | 1.5   | above 0 and at most 1   | such as 0.9
            """)
    void aWrongValueFailsStartUpNamingThePropertyTheValueAndTheFix(
            String property, String value, String reason, String fix) {
        String maxId = property.endsWith("min-id") && !value.startsWith("-") ? "999" : "2000";
        runner.withPropertyValues("idallocator.allocators.orders.max-id=" + maxId, property + "=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    String shownProperty = property.endsWith("min-id") && !value.startsWith("-")
                            ? "idallocator.allocators.orders.max-id"
                            : property;
                    assertThat(analysis.getDescription()).contains("'" + shownProperty + "'", reason);
                    if (shownProperty.equals(property)) {
                        assertThat(analysis.getDescription()).contains("Invalid value '" + value + "'");
                    }
                    assertThat(analysis.getAction()).contains(fix);
                });
    }

    @Test
    void aMissingMaxIdFailsStartUpAskingForIt() {
        runner.withPropertyValues("idallocator.allocators.orders.min-id=1").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("Configuration property 'idallocator.allocators.orders.max-id' is missing");
            assertThat(analysis.getAction()).contains("Set idallocator.allocators.orders.max-id");
        });
    }

    @Test
    void aNameThatBreaksTheKeySchemeFailsStartUp() {
        runner.withPropertyValues("idallocator.allocators.[or{ders}].max-id=9").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("idallocator.allocators.or{ders}", "the allocator name must be", "hash tag");
            assertThat(analysis.getAction()).contains("Rename the allocator");
        });
    }

    @Test
    void theStartUpReportShowsWhereTheWrongValueWasWritten(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndIdAllocator.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/heartbeat-too-slow.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid value '20s' for configuration property "
                        + "'idallocator.allocators.orders.heartbeat-interval' (originating from "
                        + "'class path resource [config-samples/heartbeat-too-slow.yml] - 6:27')")
                .contains("Change idallocator.allocators.orders.heartbeat-interval: use at most a third of creatorTtl");
    }

    @Test
    void aSnowflakeLayoutThatDoesNotAddUpNamesTheWidthThatWasWrittenAndShowsAllThree(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndIdAllocator.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/worker-bits-only.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        String origin = "(originating from 'class path resource [config-samples/worker-bits-only.yml] - 4:18')";
        assertThat(output)
                .contains("Invalid value for configuration property 'idallocator.snowflake.worker-bits' = '12' "
                        + origin + ": the Snowflake layout 41/12/12 (time/worker/sequence bits) adds up to 65 bits")
                .contains("    idallocator.snowflake.time-bits = 41 (default)\n"
                        + "    idallocator.snowflake.worker-bits = 12 " + origin + "\n"
                        + "    idallocator.snowflake.sequence-bits = 12 (default)")
                .contains("for example with time-bits 39 or worker-bits 10 or sequence-bits 10")
                .doesNotContain("Invalid value '41'");
    }

    @Test
    void aWrongValueFailsStartUpAlsoWhenTheApplicationDefinesItsOwnAllocatorsAndSequences() {
        runner.withUserConfiguration(OwnAllocatorAndSequence.class)
                .withPropertyValues("idallocator.health.utilisation-threshold=1.5")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("'idallocator.health.utilisation-threshold'", "above 0 and at most 1");
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

    /** An application with an allocator and a sequence of its own, so that neither registrar runs. */
    @Configuration(proxyBeanMethods = false)
    static class OwnAllocatorAndSequence {

        @Bean
        IdAllocator mine(RedisConnectionFactory connectionFactory) {
            IdAllocatorConfig config = IdAllocatorConfig.builder("mine", 0, 9)
                    .keyPrefix(TestContexts.uniquePrefix())
                    .build();
            return RedisIdAllocator.createOrAttach(connectionFactory, config, "own-instance");
        }

        @Bean
        SequenceAllocator mySequence(RedisConnectionFactory connectionFactory) {
            SequenceConfig config = SequenceConfig.builder("mine")
                    .keyPrefix(TestContexts.uniquePrefix())
                    .recoveryPeriod(Duration.ZERO)
                    .build();
            return RedisSequenceAllocator.create(new StringRedisTemplate(connectionFactory), config, Runnable::run);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataRedisAutoConfiguration.class, IdAllocatorAutoConfiguration.class})
    static class RedisAndIdAllocator {}
}
