package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Two instances of the packaged jar on one Redis, as the README describes: the first started without configuration
 * (so with its embedded Redis), the second on another server port with the first one's Redis as {@code
 * spring.data.redis.*}. Without that address the second would start a Redis of its own and share nothing.
 */
class SampleApplicationTwoInstancesIT {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private static final Pattern EMBEDDED =
            Pattern.compile("started an embedded redis-server [0-9.]+ on ([0-9.]+):([0-9]+)");

    @Test
    void aSecondInstanceGivenTheFirstOnesRedisSharesItsAllocators() throws Exception {
        try (SampleJar first = SampleJar.start("sample-app-first-instance-it.log")) {
            Matcher embedded = EMBEDDED.matcher(first.log());
            assertThat(embedded.find())
                    .as("the first instance logs its embedded Redis")
                    .isTrue();
            String host = embedded.group(1);
            String port = embedded.group(2);

            try (SampleJar second = SampleJar.start(
                    "sample-app-second-instance-it.log",
                    "--spring.data.redis.host=" + host,
                    "--spring.data.redis.port=" + port)) {
                assertThat(second.log())
                        .doesNotContain("No Redis configured")
                        .contains("Using the Redis configured by spring.data.redis.*: " + host + ":" + port);

                Map<String, Object> allocated =
                        first.http().post().uri("/ids").retrieve().body(JSON);
                Map<String, Object> seenBySecond = second.http()
                        .get()
                        .uri("/ids/{id}", allocated.get("firstId"))
                        .retrieve()
                        .body(JSON);
                Map<String, Object> nextOnSecond =
                        second.http().post().uri("/ids").retrieve().body(JSON);

                assertThat(seenBySecond)
                        .containsEntry("firstId", allocated.get("firstId"))
                        .containsEntry("owner", allocated.get("owner"));
                assertThat(nextOnSecond.get("firstId")).isNotEqualTo(allocated.get("firstId"));
                assertThat(second.http()
                                .get()
                                .uri("/worker")
                                .retrieve()
                                .body(JSON)
                                .get("firstId"))
                        .as("each instance leases a worker id of its own")
                        .isNotEqualTo(first.http()
                                .get()
                                .uri("/worker")
                                .retrieve()
                                .body(JSON)
                                .get("firstId"));
            }
        }
    }
}
