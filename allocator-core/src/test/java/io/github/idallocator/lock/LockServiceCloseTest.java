package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Closing a lock service ends its wake-up subscription with every client, including one whose subscription blocks a
 * thread for as long as it lasts (Jedis).
 */
@WithRedisClients
class LockServiceCloseTest {

    @Test
    void closeReturnsPromptlyAfterTheServiceSubscribedForAWait(
            RedisConnectionFactory factory, RedisServerProcess server) {
        LockConfig config = LockConfig.builder("close-" + UUID.randomUUID())
                .waitPollBound(Duration.ofMillis(50))
                .build();
        try (RedisLockService holder = RedisLockService.create(factory, config, "holder")) {
            RedisLockService waiter = RedisLockService.create(factory, config, "waiter");
            holder.tryAcquire("busy").orElseThrow();
            assertThat(waiter.tryAcquire("busy", Duration.ofMillis(200))).isEmpty();
            Awaitility.await("the waiter's subscription")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> subscribers(server, LockScripts.releaseChannel(config)) == 1);

            assertTimeoutPreemptively(Duration.ofSeconds(10), waiter::close);
            Awaitility.await("the subscription's end")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> subscribers(server, LockScripts.releaseChannel(config)) == 0);
        }
    }

    private static long subscribers(RedisServerProcess server, String channel) {
        List<?> reply = (List<?>) server.command("PUBSUB", "NUMSUB", channel);
        return Long.parseLong(reply.get(1).toString());
    }
}
