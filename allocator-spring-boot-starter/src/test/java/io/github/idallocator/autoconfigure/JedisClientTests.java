package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The README's Jedis set-up: with lettuce-core excluded and jedis added, Spring Boot configures a Jedis connection
 * factory (reading with Jedis's 2 s timeout unless {@code spring.data.redis.timeout} says otherwise) and the starter
 * works over it; with Redis down, Jedis fails a call at once (connection refused), where Lettuce queues it until {@code
 * spring.data.redis.timeout} runs out.
 */
@WithRedisServer
class JedisClientTests {

    private final RedisServerProcess redis;

    JedisClientTests(RedisServerProcess redis) {
        this.redis = redis;
    }

    /**
     * Boot's Redis auto-configuration and every auto-configuration of the starter (as an application gets them), with
     * {@code spring.data.redis.timeout} unset.
     */
    private static ApplicationContextRunner runner(RedisServerProcess server) {
        Class<?>[] starter =
                ImportCandidates.load(AutoConfiguration.class, JedisClientTests.class.getClassLoader())
                        .getCandidates()
                        .stream()
                        .filter(name -> name.startsWith("io.github.idallocator."))
                        .map(name -> ClassUtils.resolveClassName(name, JedisClientTests.class.getClassLoader()))
                        .toArray(Class<?>[]::new);
        assertThat(starter).contains(IdAllocatorAutoConfiguration.class);
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(starter))
                .withPropertyValues(
                        "spring.data.redis.host=" + server.host(),
                        "spring.data.redis.port=" + server.port(),
                        "idallocator.key-prefix=" + TestContexts.uniquePrefix(),
                        "idallocator.allocators.orders.max-id=99");
    }

    /** As with the Maven exclusion of lettuce-core: Lettuce's classes are not on the class path. */
    private static ApplicationContextRunner withoutLettuce(ApplicationContextRunner runner) {
        return runner.withClassLoader(new FilteredClassLoader("io.lettuce"));
    }

    @Test
    void withoutLettuceTheStarterAllocatesOverJedis() {
        withoutLettuce(runner(redis)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
            assertThat(context.getBean(JedisConnectionFactory.class)
                            .getClientConfiguration()
                            .getReadTimeout())
                    .as("Jedis's read timeout with spring.data.redis.timeout unset")
                    .isEqualTo(Duration.ofSeconds(2));

            IdAllocator orders = context.getBean(IdAllocator.class);

            assertThat(orders.allocate().id()).isEqualTo(0);
            assertThat(orders.allocate().id()).isEqualTo(1);
        });
    }

    @Test
    void overJedisACallFailsAtOnceWhileRedisIsDown() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            withoutLettuce(runner(own)).run(context -> {
                IdAllocator orders = context.getBean(IdAllocator.class);
                orders.allocate();
                own.kill();

                long start = System.nanoTime();
                assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(orders::allocate);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).isLessThan(Duration.ofMillis(500));
            });
        }
    }

    @Test
    void overJedisACallFailsAfterTheTwoSecondReadTimeoutWhileRedisDoesNotAnswer() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            withoutLettuce(runner(own)).run(context -> {
                IdAllocator orders = context.getBean(IdAllocator.class);
                orders.allocate();
                own.command("CLIENT", "PAUSE", "6000", "ALL"); // Redis holds every command for 6 s

                long start = System.nanoTime();
                assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(orders::allocate);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(4000));
            });
        }
    }

    @Test
    void overLettuceACallWaitsForTheCommandTimeoutWhileRedisIsDown() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            runner(own).withPropertyValues("spring.data.redis.timeout=1s").run(context -> {
                IdAllocator orders = context.getBean(IdAllocator.class);
                orders.allocate();
                own.kill();

                long start = System.nanoTime();
                assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(orders::allocate);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            });
        }
    }
}
