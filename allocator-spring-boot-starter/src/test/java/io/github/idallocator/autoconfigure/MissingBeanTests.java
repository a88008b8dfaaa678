package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.test.WithRedisServer;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * An allocator or sequence injected where none is defined fails start-up saying what to add to application.yml, or
 * that idallocator.enabled is false.
 */
@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class MissingBeanTests {

    private final RedisServerProcess redis;
    private final AtomicReference<Environment> environment = new AtomicReference<>();
    private final ApplicationContextRunner runner;

    MissingBeanTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner =
                TestContexts.withRedis(redis).withInitializer(context -> environment.set(context.getEnvironment()));
    }

    @Test
    void anIdAllocatorInjectedWithNoAllocatorConfiguredAsksForOneInApplicationYml() {
        runner.withUserConfiguration(NeedsIdAllocator.class).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("An IdAllocator was injected", "no allocator is configured under idallocator.allocators");
            assertThat(analysis.getAction()).contains("idallocator:\n  allocators:\n    orders:", "max-id: 999999");
        });
    }

    @Test
    void anIdAllocatorInjectedWhileIdallocatorIsDisabledSaysSo() {
        runner.withUserConfiguration(NeedsIdAllocator.class)
                .withPropertyValues("idallocator.enabled=false", "idallocator.allocators.orders.max-id=99")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("idallocator.enabled is false");
                    assertThat(analysis.getAction()).contains("Remove idallocator.enabled=false");
                });
    }

    @Test
    void aSequenceInjectedWithNoSequenceConfiguredAsksForOne() {
        runner.withUserConfiguration(NeedsSequence.class).run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("no sequence is configured under idallocator.sequences");
            assertThat(analysis.getAction()).contains("idallocator:\n  sequences:\n    invoices:");
        });
    }

    @Test
    void anIdAllocatorWhoseQualifierMatchesNoConfiguredOneNamesTheConfiguredOnes() {
        runner.withUserConfiguration(NeedsPaymentsAllocator.class)
                .withPropertyValues("idallocator.allocators.orders.max-id=99")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getAction())
                        .contains("Qualify the injection point with one of [orders]"));
    }

    @Test
    void severalAllocatorsWithoutPrimaryAreLeftToTheirOwnReport() {
        runner.withUserConfiguration(NeedsIdAllocator.class)
                .withPropertyValues(
                        "idallocator.allocators.orders.max-id=99", "idallocator.allocators.invoices.max-id=99")
                .run(context -> assertThat(new MissingIdAllocatorBeanFailureAnalyzer(environment.get())
                                .analyze(context.getStartupFailure()))
                        .isNull());
    }

    @Test
    void theStartUpReportSaysWhereIdallocatorWasDisabled(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(RedisAndIdAllocatorAndAUser.class)
                .web(WebApplicationType.NONE)
                .properties("spring.data.redis.port=" + redis.port(), "idallocator.enabled=false");

        assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("An IdAllocator was injected, but no bean of that type is defined: idallocator.enabled is "
                        + "false");
    }

    private FailureAnalysis analyze(@Nullable Throwable failure) {
        assertThat(failure).as("start-up failure").isNotNull();
        FailureAnalysis analysis = new MissingIdAllocatorBeanFailureAnalyzer(environment.get()).analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsIdAllocator {

        @Bean
        String orderNumbers(IdAllocator orders) {
            return "order numbers";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsPaymentsAllocator {

        @Bean
        String paymentNumbers(
                @org.springframework.beans.factory.annotation.Qualifier("payments") IdAllocator payments) {
            return "payment numbers";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsSequence {

        @Bean
        String invoiceNumbers(SequenceAllocator invoices) {
            return "invoice numbers";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataRedisAutoConfiguration.class, IdAllocatorAutoConfiguration.class})
    @Import(NeedsIdAllocator.class)
    static class RedisAndIdAllocatorAndAUser {}
}
