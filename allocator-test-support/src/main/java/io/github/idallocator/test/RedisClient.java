package io.github.idallocator.test;

import io.lettuce.core.ClientOptions;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis clients the project must work with, and how the tests connect through each: the one place that configures
 * a client for a test. {@link WithRedisClients} runs a test class once per constant; a test that needs a connection to
 * a server of its own asks the current constant with {@link #connect(RedisServerProcess)}.
 *
 * <p>Needs spring-data-redis and the client's own jar (lettuce-core or jedis) on the test class path; this module
 * declares both optional.
 */
public enum RedisClient {
    /** Lettuce, through spring-data-redis's {@link LettuceConnectionFactory}. */
    LETTUCE {
        @Override
        public Factory connect(RedisStandaloneConfiguration server) {
            return start(new LettuceConnectionFactory(
                    server,
                    LettuceClientConfiguration.builder()
                            .commandTimeout(TIMEOUT)
                            .clientOptions(ClientOptions.builder()
                                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                    .build())
                            .build()));
        }

        @Override
        public Factory connectWithClientDefaults(RedisServerProcess server, Duration timeout) {
            return start(new LettuceConnectionFactory(
                    standalone(server),
                    LettuceClientConfiguration.builder().commandTimeout(timeout).build()));
        }

        private Factory start(LettuceConnectionFactory factory) {
            factory.afterPropertiesSet();
            factory.start();
            return new Factory(factory, factory::destroy);
        }
    },
    /** Jedis with a connection pool, through spring-data-redis's {@link JedisConnectionFactory}. */
    JEDIS {
        @Override
        public Factory connect(RedisStandaloneConfiguration server) {
            return connect(server, TIMEOUT);
        }

        @Override
        public Factory connectWithClientDefaults(RedisServerProcess server, Duration timeout) {
            return connect(standalone(server), timeout);
        }

        private Factory connect(RedisStandaloneConfiguration server, Duration timeout) {
            JedisConnectionFactory factory = new JedisConnectionFactory(
                    server,
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

    /** Command (Lettuce) and connect and read (Jedis) timeout of {@link #connect(RedisServerProcess)}. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * Connects to {@code server} without credentials, with {@link #TIMEOUT}; while disconnected, Lettuce rejects
     * commands at once instead of queueing them.
     */
    public Factory connect(RedisServerProcess server) {
        return connect(standalone(server));
    }

    /** Connects to {@code server} as the ACL user {@code username}; otherwise as {@link #connect(RedisServerProcess)}. */
    public Factory connect(RedisServerProcess server, String username, String password) {
        RedisStandaloneConfiguration configuration = standalone(server);
        configuration.setUsername(username);
        configuration.setPassword(password);
        return connect(configuration);
    }

    /** Connects to the given server as {@link #connect(RedisServerProcess)} does. */
    public abstract Factory connect(RedisStandaloneConfiguration server);

    /**
     * Connects to {@code server} with the given timeout and the client's default behaviour while disconnected, as an
     * application configures it (Lettuce queues commands until they time out; Jedis fails when it cannot connect).
     */
    public abstract Factory connectWithClientDefaults(RedisServerProcess server, Duration timeout);

    private static RedisStandaloneConfiguration standalone(RedisServerProcess server) {
        return new RedisStandaloneConfiguration(server.host(), server.port());
    }

    /**
     * A started connection factory and how to close it.
     *
     * @param connectionFactory the started factory
     * @param closer destroys the factory and its connections
     */
    public record Factory(RedisConnectionFactory connectionFactory, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }
}
