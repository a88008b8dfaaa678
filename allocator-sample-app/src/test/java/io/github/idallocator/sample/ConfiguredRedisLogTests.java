package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisServerExtension;
import io.github.idallocator.test.WithRedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/** With {@code spring.data.redis.*} set, the sample logs which Redis it uses, as the embedded fallback does for its own. */
@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class ConfiguredRedisLogTests {

    private static final String LINE = "Using the Redis configured by spring.data.redis.*: ";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(EmbeddedRedisFallback.class, ConfiguredRedisLog.class)
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    @Test
    void namesTheHostAndPortOfTheConfiguredRedisOnce(CapturedOutput output) {
        RedisServerProcess redis = RedisServerExtension.sharedServer();
        runner.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port())
                .run(context -> {
                    assertThat(context.getBean(StringRedisTemplate.class).execute(RedisConnection::ping))
                            .isEqualTo("PONG");
                    assertThat(context).doesNotHaveBean(RedisServerProcess.class);
                });

        String expected = LINE + redis.host() + ":" + redis.port();
        assertThat(output.getOut()).contains(expected);
        assertThat(output.getOut().split(java.util.regex.Pattern.quote(LINE), -1))
                .hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "spring.data.redis.url=redis://app:s3cret@redis.internal:6390/2; redis.internal:6390, database 2",
                "spring.data.redis.masterreplica.nodes=r1:6379,r2:6380; the primary and replicas r1:6379, r2:6380",
                "spring.data.redis.sentinel.master=mymaster,spring.data.redis.sentinel.nodes=s1:26379,s2:26380;"
                        + " the primary 'mymaster' of the Sentinels s1:26379, s2:26380",
                "spring.data.redis.cluster.nodes=c1:7000,c2:7001; the Redis Cluster of c1:7000, c2:7001"
            })
    void namesTheUrlSentinelsOrClusterNodesWithoutCredentials(
            String properties, String expected, CapturedOutput output) {
        runner.withPropertyValues(properties.split(",(?=spring)")).run(context -> {
            assertThat(context).hasNotFailed();
        });

        assertThat(output.getOut()).contains(LINE + expected.strip()).doesNotContain("s3cret");
    }

    @Test
    void saysNothingWhenTheEmbeddedRedisIsUsedWhichLogsItsOwnLine(CapturedOutput output) {
        runner.run(context -> assertThat(context).hasSingleBean(RedisServerProcess.class));

        assertThat(output.getOut()).doesNotContain(LINE).contains("started an embedded redis-server");
    }
}
