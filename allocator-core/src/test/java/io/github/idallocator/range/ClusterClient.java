package io.github.idallocator.range;

import io.github.idallocator.test.RedisClient;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The clients the core must work with on a Redis Cluster; each cluster spec runs once per client. Lettuce refreshes its
 * view of the cluster periodically and on redirects, as a client must to follow a failover; Jedis does so by itself.
 * Public for the cluster tests of other primitives (locks).
 */
public enum ClusterClient {
    LETTUCE {
        @Override
        public RedisConnectionFactory connect(List<String> nodes) {
            ClusterClientOptions options = ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofMillis(500))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build();
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisClusterConfiguration(nodes),
                    LettuceClientConfiguration.builder()
                            .commandTimeout(RedisClient.TIMEOUT)
                            .clientOptions(options)
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return factory;
        }
    },
    JEDIS {
        @Override
        public RedisConnectionFactory connect(List<String> nodes) {
            JedisConnectionFactory factory = new JedisConnectionFactory(
                    new RedisClusterConfiguration(nodes),
                    JedisClientConfiguration.builder()
                            .connectTimeout(RedisClient.TIMEOUT)
                            .readTimeout(RedisClient.TIMEOUT)
                            .usePooling()
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return factory;
        }
    };

    /** A started connection factory of this client for the cluster of {@code nodes} ({@code host:port}). */
    public abstract RedisConnectionFactory connect(List<String> nodes);
}
