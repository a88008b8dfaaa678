package io.github.idallocator.sequence;

import io.github.idallocator.launcher.RedisServerProcess;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis clients sequences must work with, built with a given command timeout and the clients' default behaviour
 * while disconnected (Lettuce queues commands until they time out; Jedis fails when it cannot connect).
 */
enum SequenceClient {
    LETTUCE {
        @Override
        Factory connect(RedisServerProcess server, Duration timeout) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(server.host(), server.port()),
                    LettuceClientConfiguration.builder().commandTimeout(timeout).build());
            factory.afterPropertiesSet();
            factory.start();
            return new Factory(factory, factory::destroy);
        }
    },
    JEDIS {
        @Override
        Factory connect(RedisServerProcess server, Duration timeout) {
            JedisConnectionFactory factory = new JedisConnectionFactory(
                    new RedisStandaloneConfiguration(server.host(), server.port()),
                    JedisClientConfiguration.builder()
                            .connectTimeout(timeout)
                            .readTimeout(timeout)
                            .usePooling()
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return new Factory(factory, factory::destroy);
        }
    };

    abstract Factory connect(RedisServerProcess server, Duration timeout);

    /** A started connection factory and how to close it. */
    record Factory(RedisConnectionFactory connectionFactory, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }
}
