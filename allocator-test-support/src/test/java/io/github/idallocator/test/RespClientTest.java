package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.RespErrorException;
import java.util.List;
import org.junit.jupiter.api.Test;

@WithRedisServer
class RespClientTest {

    @Test
    void simpleStringReplyIsString(RedisServerProcess redis) {
        assertThat(redis.command("SET", "resp:simple", "value")).isEqualTo("OK");
    }

    @Test
    void integerReplyIsLong(RedisServerProcess redis) {
        assertThat(redis.command("INCRBY", "resp:integer", "42")).isEqualTo(42L);
    }

    @Test
    void bulkStringReplyIsUtf8String(RedisServerProcess redis) {
        redis.command("SET", "resp:bulk", "grüße\r\nzeile");

        assertThat(redis.command("GET", "resp:bulk")).isEqualTo("grüße\r\nzeile");
    }

    @Test
    void nullBulkStringReplyIsNull(RedisServerProcess redis) {
        assertThat(redis.command("GET", "resp:missing")).isNull();
    }

    @Test
    void arrayReplyIsList(RedisServerProcess redis) {
        redis.command("RPUSH", "resp:array", "a", "", "c");

        assertThat(redis.command("LRANGE", "resp:array", "0", "-1")).isEqualTo(List.of("a", "", "c"));
    }

    @Test
    void errorReplyIsThrownWithItsCode(RedisServerProcess redis) {
        redis.command("SET", "resp:error", "not a list");

        assertThatThrownBy(() -> redis.command("LPUSH", "resp:error", "x"))
                .isInstanceOfSatisfying(RespErrorException.class, error -> assertThat(error.code())
                        .isEqualTo("WRONGTYPE"));
    }
}
