package io.github.idallocator.autoconfigure;

import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.sequence.SequenceAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Context runners of the tests: Boot's Redis auto-configuration on a real redis-server, plus idallocator's (allocators,
 * the Snowflake generator when enabled, sequences).
 */
public final class TestContexts {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private TestContexts() {}

    /**
     * A runner with Redis and idallocator auto-configured against {@code redis}, a key prefix of its own (so tests
     * sharing one server never see each other's keys), no Snowflake recovery period, and the given further
     * auto-configurations.
     */
    public static ApplicationContextRunner withRedis(RedisServerProcess redis, Class<?>... more) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataRedisAutoConfiguration.class,
                        IdAllocatorAutoConfiguration.class,
                        SnowflakeAutoConfiguration.class,
                        SequenceAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(more))
                .withPropertyValues(
                        "spring.data.redis.host=" + redis.host(),
                        "spring.data.redis.port=" + redis.port(),
                        "spring.data.redis.timeout=2s",
                        "idallocator.key-prefix=" + uniquePrefix(),
                        // each context has a key prefix no earlier process used, so no worker-id holder can exist
                        // whose re-registration a recovery period would wait for (tests of the default override it)
                        "idallocator.snowflake.recovery-period=0");
    }

    /**
     * A runner like {@link #withRedis(RedisServerProcess, Class[])} with the Snowflake generator enabled and a short
     * worker-id lease: 900 ms, renewed every 150 ms, 100 ms safety margin.
     */
    public static ApplicationContextRunner withSnowflake(RedisServerProcess redis, Class<?>... more) {
        return withRedis(redis, more)
                .withPropertyValues(
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.lease-ttl=900ms",
                        "idallocator.snowflake.heartbeat-interval=150ms",
                        "idallocator.snowflake.safety-margin=100ms");
    }

    /** A key prefix no other test uses. */
    public static String uniquePrefix() {
        return "test" + PREFIXES.incrementAndGet() + "-"
                + ProcessHandle.current().pid();
    }
}
