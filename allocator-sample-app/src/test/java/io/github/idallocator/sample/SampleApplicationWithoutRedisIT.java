package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/** The packaged jar on a machine where no Redis is configured: it brings its own and shuts down cleanly on SIGTERM. */
class SampleApplicationWithoutRedisIT {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @Test
    void startsAnEmbeddedRedisSaysSoAndReleasesItsWorkerIdBeforeStoppingIt() throws Exception {
        try (SampleJar app = SampleJar.start("sample-app-without-redis-it.log")) {
            assertThat(app.log())
                    .containsPattern("No Redis configured \\(spring\\.data\\.redis\\.\\*\\): started an embedded "
                            + "redis-server [0-9.]+ on 127\\.0\\.0\\.1:[0-9]+");
            assertThat(app.http().post().uri("/ids").retrieve().body(JSON)).containsEntry("firstId", 1);

            assertThat(app.stop(Duration.ofSeconds(30)))
                    .as("the app stops on SIGTERM")
                    .isTrue();

            assertThat(app.log())
                    .contains("Released 1 lease of allocator 'workers'")
                    .contains("Released Snowflake worker id")
                    .doesNotContain("Could not release");
        }
    }
}
