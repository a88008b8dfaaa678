package io.github.idallocator.autoconfigure.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Without {@code spring.data.redis.timeout}, the Lettuce client Boot builds gets a bounded command timeout. */
@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class RedisCommandTimeoutAutoConfigurationTests {

    private final RedisServerProcess redis;

    RedisCommandTimeoutAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
    }

    private ApplicationContextRunner runner(RedisServerProcess server) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RedisCommandTimeoutAutoConfiguration.class,
                        DataRedisAutoConfiguration.class,
                        IdAllocatorAutoConfiguration.class))
                .withPropertyValues(
                        "spring.data.redis.host=" + server.host(),
                        "spring.data.redis.port=" + server.port(),
                        "idallocator.key-prefix=" + TestContexts.uniquePrefix(),
                        "idallocator.allocators.orders.max-id=9");
    }

    @Test
    void commandsTimeOutAfterTwoSecondsWhenTheApplicationSetsNoTimeout(CapturedOutput output) {
        runner(redis).run(context -> {
            assertThat(commandTimeout(context)).isEqualTo(Duration.ofSeconds(2));
            assertThat(output).contains("spring.data.redis.timeout is not set: Redis commands time out after 2000 ms");
        });
    }

    @Test
    void theApplicationsOwnTimeoutIsKept() {
        runner(redis)
                .withPropertyValues("spring.data.redis.timeout=7s")
                .run(context -> assertThat(commandTimeout(context)).isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void theDefaultCanBeChanged() {
        runner(redis)
                .withPropertyValues("idallocator.default-command-timeout=500ms")
                .run(context -> assertThat(commandTimeout(context)).isEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void zeroKeepsLettucesOwnDefault() {
        runner(redis)
                .withPropertyValues("idallocator.default-command-timeout=0")
                .run(context -> assertThat(commandTimeout(context)).isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void nothingChangesWhenIdallocatorIsDisabled() {
        runner(redis).withPropertyValues("idallocator.enabled=false").run(context -> assertThat(commandTimeout(context))
                .isEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void aNegativeDefaultFailsStartUpNamingTheProperty() {
        runner(redis)
                .withPropertyValues("idallocator.default-command-timeout=-1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("idallocator.default-command-timeout", "0 to 10m");
                });
    }

    @Test
    void anAllocationFailsWithinTheDefaultTimeoutWhileRedisDoesNotAnswer() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            runner(own).run(context -> {
                IdAllocator orders = context.getBean(IdAllocator.class);
                orders.allocate();
                own.pause();
                try {
                    long start = System.nanoTime();
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(5), () -> assertThatExceptionOfType(RedisUnavailableException.class)
                                    .isThrownBy(orders::allocate)
                                    .satisfies(e -> assertThat(e.isRetryable()).isTrue()));
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .isBetween(Duration.ofMillis(1500), Duration.ofMillis(4000));
                } finally {
                    own.resume();
                }
            });
        }
    }

    private static Duration commandTimeout(ApplicationContext context) {
        RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
        assertThat(factory).isInstanceOf(LettuceConnectionFactory.class);
        return ((LettuceConnectionFactory) factory).getClientConfiguration().getCommandTimeout();
    }
}
