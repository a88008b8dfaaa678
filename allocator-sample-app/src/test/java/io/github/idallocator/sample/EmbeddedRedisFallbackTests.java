package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisFallbackTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddedRedisFallback.class)
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    @Test
    void startsARedisServerAndPointsTheApplicationAtItWhenNoRedisIsConfigured(CapturedOutput output) {
        runner.run(context -> {
            RedisServerProcess server = context.getBean(RedisServerProcess.class);
            DataRedisConnectionDetails details = context.getBean(DataRedisConnectionDetails.class);

            assertThat(context.getBean(StringRedisTemplate.class).execute(RedisConnection::ping))
                    .isEqualTo("PONG");
            assertThat(details.getStandalone().getHost()).isEqualTo("127.0.0.1");
            assertThat(details.getStandalone().getPort()).isEqualTo(server.port());
            assertThat(output)
                    .contains("No Redis configured (spring.data.redis.*): started an embedded redis-server "
                            + server.version() + " on 127.0.0.1:" + server.port());
        });
    }

    @Test
    void stopsTheRedisServerWithTheApplication() {
        runner.run(context -> {
            RedisServerProcess server = context.getBean(RedisServerProcess.class);

            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

            assertThat(server.isRunning()).isFalse();
        });
    }

    @ParameterizedTest(name = "{0} turns it off")
    @ValueSource(
            strings = {
                "spring.data.redis.host=localhost",
                "spring.data.redis.port=6379",
                "spring.data.redis.url=redis://localhost:6379",
                "spring.data.redis.sentinel.master=mymaster",
                "spring.data.redis.cluster.nodes=localhost:7000"
            })
    void staysOffWhenARedisAddressIsConfigured(String property) {
        new ApplicationContextRunner()
                .withUserConfiguration(EmbeddedRedisFallback.class)
                .withPropertyValues(property)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisServerProcess.class);
                    assertThat(context).doesNotHaveBean("embeddedRedisConnectionDetails");
                });
    }
}
