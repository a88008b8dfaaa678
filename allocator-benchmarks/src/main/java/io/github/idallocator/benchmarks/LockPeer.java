package io.github.idallocator.benchmarks;

import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.RedisLockService;
import java.util.concurrent.locks.Lock;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * The lock implementations the lock benchmarks compare, each opened on a client of its own (its own connections) to a
 * redis-server, with its defaults:
 *
 * <ul>
 *   <li>{@link #LIBRARY}: {@link RedisLockService} with the default {@link LockConfig} (30 s lease, renewed every 10 s;
 *       waiters woken by the release's PUBLISH, polling at least every 250 ms) on a spring-data-redis {@link
 *       LettuceConnectionFactory} with its defaults; {@link Client#lock} is {@code asLock(name)}.
 *   <li>{@link #REDISSON}: Redisson 4.7.0 {@code getLock(name)} ({@code RLock}: watchdog lease of 30 s renewed every 10
 *       s; waiters subscribe to the lock's channel) on a Redisson client with its single-server defaults.
 *   <li>{@link #SPRING_INTEGRATION_SPIN}: Spring Integration's {@link RedisLockRegistry} {@code obtain(name)} in its
 *       default lock type ({@code SPIN_LOCK}: a waiter tries again every 100 ms), 60 s expiry, on its own connection
 *       factory with the defaults.
 *   <li>{@link #SPRING_INTEGRATION_PUB_SUB}: the same registry with {@code RedisLockType.PUB_SUB_LOCK} (waiters woken by
 *       a PUBLISH of the unlock); not in the brief's comparison, available to the hand-off report on request.
 * </ul>
 */
public enum LockPeer {
    LIBRARY("library asLock"),
    REDISSON("Redisson RLock"),
    SPRING_INTEGRATION_SPIN("Spring Integration RedisLockRegistry, spin (default)"),
    SPRING_INTEGRATION_PUB_SUB("Spring Integration RedisLockRegistry, pub/sub");

    /** The namespace of the library's locks and the registry key of Spring Integration's. */
    static final String NAMESPACE = "lock-benchmark";

    private final String label;

    LockPeer(String label) {
        this.label = label;
    }

    /** A short human-readable name, for the reports. */
    public String label() {
        return label;
    }

    /** One implementation's client: {@link Lock}s by name, on connections of its own. */
    public interface Client extends AutoCloseable {

        /** The lock of {@code name}; the same object for the same name on one thread is not required. */
        Lock lock(String name);

        /** What was opened, for the benchmark output. */
        String describe();

        /** Closes the client and its connections. */
        @Override
        void close();
    }

    /** Opens this implementation's client on the redis-server at {@code host:port}. */
    public Client open(String host, int port) {
        return switch (this) {
            case LIBRARY -> library(host, port);
            case REDISSON -> redisson(host, port);
            case SPRING_INTEGRATION_SPIN -> springIntegration(host, port, RedisLockRegistry.RedisLockType.SPIN_LOCK);
            case SPRING_INTEGRATION_PUB_SUB -> springIntegration(
                    host, port, RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        };
    }

    /** A started spring-data-redis connection factory with its defaults (one shared native connection). */
    static LettuceConnectionFactory connectionFactory(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** A Redisson client with the defaults of {@code useSingleServer()}. */
    static RedissonClient redissonClient(String host, int port) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + host + ":" + port);
        return Redisson.create(config);
    }

    private static Client library(String host, int port) {
        LettuceConnectionFactory factory = connectionFactory(host, port);
        RedisLockService service =
                RedisLockService.create(factory, LockConfig.builder(NAMESPACE).build());
        return new Client() {
            @Override
            public Lock lock(String name) {
                return service.asLock(name);
            }

            @Override
            public String describe() {
                return LIBRARY.label + ": " + service.config();
            }

            @Override
            public void close() {
                try {
                    service.close();
                } finally {
                    factory.destroy();
                }
            }
        };
    }

    private static Client redisson(String host, int port) {
        RedissonClient client = redissonClient(host, port);
        return new Client() {
            @Override
            public Lock lock(String name) {
                return client.getLock(name);
            }

            @Override
            public String describe() {
                return REDISSON.label + ": watchdog timeout "
                        + client.getConfig().getLockWatchdogTimeout() + " ms";
            }

            @Override
            public void close() {
                client.shutdown();
            }
        };
    }

    private Client springIntegration(String host, int port, RedisLockRegistry.RedisLockType type) {
        LettuceConnectionFactory factory = connectionFactory(host, port);
        RedisLockRegistry registry = new RedisLockRegistry(factory, NAMESPACE);
        registry.setRedisLockType(type);
        return new Client() {
            @Override
            public Lock lock(String name) {
                return registry.obtain(name);
            }

            @Override
            public String describe() {
                return label + ": " + registry;
            }

            @Override
            public void close() {
                try {
                    registry.destroy();
                } finally {
                    factory.destroy();
                }
            }
        };
    }
}
