package io.github.idallocator.internal;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Names the Redis a connection factory connects to ({@code localhost:6379}, the Sentinels of a primary, the nodes of a
 * Cluster), for the messages of an unreachable Redis: a timeout says nothing of where it tried. Each client's factory
 * is read only when that client is on the class path ({@link LettuceTarget}, {@link JedisTarget}).
 */
final class RedisTargets {

    private static final boolean LETTUCE =
            ClassUtils.isPresent("io.lettuce.core.RedisClient", RedisTargets.class.getClassLoader());

    private static final boolean JEDIS =
            ClassUtils.isPresent("redis.clients.jedis.Jedis", RedisTargets.class.getClassLoader());

    private RedisTargets() {}

    /** Where {@code factory} connects to; {@code null} for a factory of neither client. */
    static @Nullable String describe(@Nullable RedisConnectionFactory factory) {
        if (factory == null) {
            return null;
        }
        String target = LETTUCE ? LettuceTarget.describe(factory) : null;
        if (target == null && JEDIS) {
            target = JedisTarget.describe(factory);
        }
        return target;
    }

    /** The Cluster's nodes, else the Sentinels, else host and port. */
    static String describe(
            @Nullable RedisClusterConfiguration cluster,
            @Nullable RedisSentinelConfiguration sentinel,
            @Nullable String host,
            int port) {
        if (cluster != null) {
            return "the Redis Cluster of " + nodes(cluster.getClusterNodes());
        }
        if (sentinel != null) {
            String primary =
                    sentinel.getMaster() == null ? "?" : sentinel.getMaster().getName();
            return "the primary '" + primary + "' of the Sentinels " + nodes(sentinel.getSentinels());
        }
        return host + ":" + port;
    }

    private static String nodes(Iterable<RedisNode> nodes) {
        return StreamSupport.stream(nodes.spliterator(), false)
                .map(node -> node.getHost() + ":" + node.getPort())
                .collect(Collectors.joining(", "));
    }
}
