package io.github.idallocator.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
    void aPausedServerAnswersNothingUntilResumed() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
                Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(300);
            redis.pause();
            try {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            } finally {
                redis.resume();
            }
            socket.setSoTimeout(5000);
            byte[] reply = new byte[7];
            int read = 0;
            while (read < reply.length) {
                read += socket.getInputStream().read(reply, read, reply.length - read);
            }
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
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
