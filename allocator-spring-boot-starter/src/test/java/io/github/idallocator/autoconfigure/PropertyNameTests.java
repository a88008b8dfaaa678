package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.spring.IdAllocators;
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
 * was written and the nearest valid key; so does the name of an allocator, sequence or pool that binding would split at
 * a dot or strip of characters, asking for brackets.
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

    @Test
    void anAllocatorNameWithADotOutsideBracketsFailsStartUpAskingForBrackets() {
        runner.withPropertyValues("idallocator.allocators.order.ids.max-id=9").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("Property: idallocator.allocators.order.ids.max-id")
                    .contains("the allocator name 'order.ids' under idallocator.allocators is split at its '.'")
                    .contains("there is no allocator 'order.ids'");
            assertThat(analysis.getAction()).contains("\"[order.ids]\":", "idallocator.allocators[order.ids]");
        });
    }

    @Test
    void aSequenceNameWithCharactersBindingDropsFailsStartUpNamingWhatItWouldBecome() {
        runner.withPropertyValues("idallocator.sequences.or{ders}.step=10").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("the sequence name 'or{ders}' under idallocator.sequences is bound as 'orders'");
            assertThat(analysis.getAction()).contains("\"[or{ders}]\":");
        });
    }

    @Test
    void aPoolNameWithADotOutsideBracketsFailsStartUpAskingForBrackets() {
        runner.withPropertyValues("idallocator.pools.eu.proxies.lease-time=30s")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("the pool name 'eu.proxies' under idallocator.pools is split"));
    }

    @Test
    void anAllocatorNameWithADotInBracketsKeepsItsDot() {
        runner.withPropertyValues("idallocator.allocators.[order.ids].max-id=9")
                .run(context ->
                        assertThat(context.getBean(IdAllocators.class).names()).contains("order.ids"));
    }

    @Test
    void theStartUpReportNamesEachAllocatorNameOfTheYamlThatBindingWouldChange(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndIdAllocator.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.config.location=classpath:config-samples/entry-names.yml",
                        "spring.data.redis.port=" + redis.port());

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("Property: idallocator.allocators.order.ids.max-id\n"
                        + "    Origin: class path resource [config-samples/entry-names.yml] - 4:15")
                .contains("Property: idallocator.allocators.or{ders}.max-id\n"
                        + "    Origin: class path resource [config-samples/entry-names.yml] - 6:15")
                .contains("is bound as 'orders'")
                .contains("\"[order.ids]\":", "\"[or{ders}]\":");
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
