package io.github.idallocator.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/** {@link RedisTargets} for Jedis; loaded only when Jedis is on the class path. */
final class JedisTarget {

    private JedisTarget() {}

    static @Nullable String describe(RedisConnectionFactory factory) {
        if (!(factory instanceof JedisConnectionFactory jedis)) {
            return null;
        }
        return RedisTargets.describe(
                jedis.isRedisClusterAware() ? jedis.getClusterConfiguration() : null,
                jedis.isRedisSentinelAware() ? jedis.getSentinelConfiguration() : null,
                jedis.getHostName(),
                jedis.getPort());
    }
}
