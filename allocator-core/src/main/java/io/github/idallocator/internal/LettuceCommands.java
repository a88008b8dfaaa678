package io.github.idallocator.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * Commands that Spring Data Redis' Lettuce connection can only send with a Lettuce output type. Loaded only when the
 * connection is a Lettuce one, so Jedis users need no Lettuce on the class path.
 */
final class LettuceCommands {

    private LettuceCommands() {}

    /** Sends {@code WAIT replicas timeout}; inside a pipeline the reply comes with the pipeline's results. */
    static @Nullable Object waitForReplicas(RedisConnection connection, byte[] replicas, byte[] timeoutMillis) {
        return ((LettuceConnection) connection)
                .execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE), replicas, timeoutMillis);
    }
}
