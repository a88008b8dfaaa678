package io.github.idallocator.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** {@link RedisTargets} for Lettuce; loaded only when Lettuce is on the class path. */
final class LettuceTarget {

    private LettuceTarget() {}

    static @Nullable String describe(RedisConnectionFactory factory) {
        if (!(factory instanceof LettuceConnectionFactory lettuce)) {
            return null;
        }
        return RedisTargets.describe(
                lettuce.isClusterAware() ? lettuce.getClusterConfiguration() : null,
                lettuce.isRedisSentinelAware() ? lettuce.getSentinelConfiguration() : null,
                lettuce.getHostName(),
                lettuce.getPort());
    }
}
