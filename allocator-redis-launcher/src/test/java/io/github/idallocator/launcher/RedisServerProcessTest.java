package io.github.idallocator.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServerProcessTest {

    @Test
    void commandsFailAfterKill() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void stopShutsTheServerDown() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            redis.stop();

            assertThat(redis.isRunning()).isFalse();
        }
    }

    @Test
    void restartComesBackOnTheSamePortWithEmptyData() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            int port = redis.port();
            redis.command("SET", "restart:key", "value");
            redis.kill();

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void appendOnlyServerKeepsAcknowledgedWritesAcrossKillAndRestart() {
        try (RedisServerProcess redis =
                RedisServerProcess.builder().appendOnly().start()) {
            assertThat(redis.isAppendOnly()).isTrue();
            assertThat(redis.command("CONFIG", "GET", "appendfsync")).isEqualTo(List.of("appendfsync", "always"));
            redis.command("SET", "aof:key", "value");
            long pid = redis.pid();
            redis.kill();

            redis.restart();

            assertThat(redis.pid()).isNotEqualTo(pid);
            assertThat(redis.command("GET", "aof:key")).isEqualTo("value");
        }
    }

    @Test
    void restartEmptyLosesEverythingEvenWithAppendOnly() {
        try (RedisServerProcess redis =
                RedisServerProcess.builder().appendOnly().start()) {
            redis.command("SET", "aof:key", "value");

            redis.restartEmpty();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.command("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void flushAllDeletesEveryKey() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            redis.command("SET", "flush:key", "value");

            redis.flushAll();

            assertThat(redis.command("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void twoProcessesGetDifferentPorts() {
        try (RedisServerProcess first = RedisServerProcess.start();
                RedisServerProcess second = RedisServerProcess.start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(first.command("PING")).isEqualTo(second.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void extraArgumentsReachTheServer() {
        try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory", "12345678")) {
            assertThat(redis.command("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "12345678"));
        }
    }

    @Test
    void failedStartReportsTheServerOutput() {
        assertThatThrownBy(() -> RedisServerProcess.start("--no-such-directive", "yes"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("no-such-directive");
    }
}
