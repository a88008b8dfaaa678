package io.github.idallocator.range;

import io.github.idallocator.launcher.RedisServerProcess;
import io.lettuce.core.ClientOptions;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The Redis clients the core must work with; each test class runs once per client. */
enum RedisClient {
    LETTUCE {
        @Override
        Factory connect(RedisStandaloneConfiguration server) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    server,
                    LettuceClientConfiguration.builder()
                            .commandTimeout(TIMEOUT)
                            .clientOptions(ClientOptions.builder()
                                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                    .build())
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return new Factory(factory, factory::destroy);
        }
    },
    JEDIS {
        @Override
        Factory connect(RedisStandaloneConfiguration server) {
            JedisConnectionFactory factory = new JedisConnectionFactory(
                    server,
                    JedisClientConfiguration.builder()
                            .connectTimeout(TIMEOUT)
                            .readTimeout(TIMEOUT)
                            .usePooling()
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return new Factory(factory, factory::destroy);
        }
    };

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Connects to {@code server} without credentials. */
    Factory connect(RedisServerProcess server) {
        return connect(new RedisStandaloneConfiguration(server.host(), server.port()));
    }

    /** Connects to {@code server} as the ACL user {@code username}. */
    Factory connect(RedisServerProcess server, String username, String password) {
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host(), server.port());
        configuration.setUsername(username);
        configuration.setPassword(password);
        return connect(configuration);
    }

    abstract Factory connect(RedisStandaloneConfiguration server);

    /** A started connection factory and how to close it. */
    record Factory(RedisConnectionFactory connectionFactory, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }
}
