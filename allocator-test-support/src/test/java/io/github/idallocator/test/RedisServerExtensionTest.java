package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithRedisServer
class RedisServerExtensionTest {

    private static RedisServerProcess fromBeforeAll;

    private final RedisServerProcess fromConstructor;

    RedisServerExtensionTest(RedisServerProcess redis) {
        this.fromConstructor = redis;
    }

    @BeforeAll
    static void rememberServer(RedisServerProcess redis) {
        fromBeforeAll = redis;
    }

    @Test
    void providesRunningServerThatAnswersPing(RedisServerProcess redis) {
        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.command("PING")).isEqualTo("PONG");
    }

    @Test
    void sharesOneServerAcrossConstructorLifecycleMethodsAndTests(RedisServerProcess redis) {
        assertThat(redis)
                .isSameAs(fromConstructor)
                .isSameAs(fromBeforeAll)
                .isSameAs(RedisServerExtension.sharedServer());
    }
}
