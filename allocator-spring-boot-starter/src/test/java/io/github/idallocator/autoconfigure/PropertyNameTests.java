package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A property name under {@code idallocator} that idallocator does not have fails start-up, naming the key, where it
 * was written and the nearest valid key.
 */
@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class PropertyNameTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    PropertyNameTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis).withPropertyValues("idallocator.allocators.orders.max-id=99");
    }

    @Test
    void aMisspelledTopLevelKeyNamesTheNearestKeyOfAnAllocator() {
        runner.withPropertyValues("idallocator.default-tll=5m").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("Property: idallocator.default-tll")
                    .contains("nearest valid key is 'idallocator.allocators.<name>.default-ttl'");
            assertThat(analysis.getAction())
                    .contains("Rename idallocator.default-tll to idallocator.allocators.<name>.default-ttl");
        });
    }

    @Test
    void aMisspelledKeyInsideAnAllocatorNamesTheKeyOfThatAllocator() {
        runner.withPropertyValues("idallocator.allocators.orders.relese-on-shutdown=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: idallocator.allocators.orders.relese-on-shutdown")
                        .contains("nearest valid key is 'idallocator.allocators.orders.release-on-shutdown'"));
    }

    @Test
    void aMisspelledGroupNamesTheKeyInTheRightGroup() {
        runner.withPropertyValues("idallocator.snowflak.enabled=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: idallocator.snowflak.enabled")
                        .contains("nearest valid key is 'idallocator.snowflake.enabled'"));
    }

    @Test
    void aMisspelledKeyInsideASequenceNamesTheKeyOfThatSequence() {
        runner.withPropertyValues("idallocator.sequences.invoices.stepp=10")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("nearest valid key is 'idallocator.sequences.invoices.step'"));
    }

    @Test
    void aMisspelledKeyInsideAPoolNamesTheKeyOfThatPool() {
        runner.withPropertyValues("idallocator.pools.proxies.lease-tim=30s")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("nearest valid key is 'idallocator.pools.proxies.lease-time'"));
    }

    @Test
    void aMisspelledKeyOfAPoolResourceNamesTheKeyOfThatResource() {
        runner.withPropertyValues(
                        "idallocator.pools.proxies.resources[0].name=a:1",
                        "idallocator.pools.proxies.resources[0].priorty=2")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("nearest valid key is 'idallocator.pools.proxies.resources[0].priority'"));
    }

    @Test
    void aKeyLikeNoValidOneListsTheKeysOfItsGroup() {
        runner.withPropertyValues("idallocator.locks.frobnicate=1").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("Property: idallocator.locks.frobnicate")
                    .doesNotContain("nearest");
            assertThat(analysis.getAction()).contains("one of the keys under idallocator.locks: enabled, namespace");
        });
    }

    @Test
    void everyMisspelledKeyIsReportedAtOnce() {
        runner.withPropertyValues("idallocator.default-tll=5m", "idallocator.snowflak.enabled=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("idallocator.default-tll", "idallocator.snowflak.enabled"));
    }

    @Test
    void aMisspelledKeyFailsStartUpAlsoWhenTheApplicationDefinesItsOwnAllocatorsAndSequences() {
        runner.withUserConfiguration(IdAllocatorPropertiesTests.OwnAllocatorAndSequence.class)
                .withPropertyValues("idallocator.relese-on-shutdown=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: idallocator.relese-on-shutdown"));
    }

    @Test
    void theStartUpReportShowsWhereEachMisspelledKeyWasWritten(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndIdAllocator.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/misspelled-keys.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Property: idallocator.snowflak.enabled\n"
                        + "    Origin: class path resource [config-samples/misspelled-keys.yml] - 3:14")
                .contains("Property: idallocator.allocators.orders.relese-on-shutdown\n"
                        + "    Origin: class path resource [config-samples/misspelled-keys.yml] - 7:27")
                .contains("Rename idallocator.allocators.orders.relese-on-shutdown to "
                        + "idallocator.allocators.orders.release-on-shutdown");
    }

    @Test
    void keysFromTheSystemEnvironmentAndSystemPropertiesAreLeftAlone() {
        runner.withSystemProperties("idallocator.default-tll=5m")
                .run(context -> assertThat(context).hasNotFailed());
    }

    static FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = new InvalidIdAllocatorPropertyNameFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataRedisAutoConfiguration.class, IdAllocatorAutoConfiguration.class})
    static class RedisAndIdAllocator {}
}
