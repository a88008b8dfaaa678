package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** A completion retried because its first reply was lost is answered as the first time, and changes nothing. */
@WithRedisServer
class CompletionRetryTest {

    private LettuceConnectionFactory factory;
    private RedisTaskQueue queue;

    @BeforeEach
    void connect(RedisServerProcess server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        queue = RedisTaskQueue.create(
                factory, TaskQueueConfig.builder("retry-" + UUID.randomUUID()).build(), "worker");
    }

    @AfterEach
    void close() {
        queue.close();
        factory.destroy();
    }

    @Test
    void completingAgainWithTheSameClaimAnswersTrueAndKeepsTheFirstResult() {
        String id = queue.submit("x").id();
        ClaimedTask task = queue.claim(1).get(0);
        assertThat(queue.complete(task, "first")).isTrue();

        assertThat(queue.complete(task, "second")).isTrue();

        assertThat(queue.result(id, Duration.ZERO)).isEqualTo("first");
        assertThat(queue.stats().completed()).isEqualTo(1);
    }

    @Test
    void anOlderClaimOfACompletedTaskIsStillRefused() {
        queue = RedisTaskQueue.create(
                factory,
                TaskQueueConfig.builder(queue.name())
                        .visibilityTimeout(Duration.ofMillis(100))
                        .build(),
                "worker");
        queue.submit("x");
        ClaimedTask first = queue.claim(1).get(0);
        ClaimedTask second = null;
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (second == null && System.nanoTime() < until) {
            second = queue.claim(1).stream().findFirst().orElse(null);
        }
        assertThat(second).isNotNull();
        assertThat(queue.complete(second, "second")).isTrue();

        assertThat(queue.complete(first, "first")).isFalse();
    }
}
