package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** {@link WithRedisClients}, run through the JUnit launcher on sample classes (nested, so Surefire skips them). */
class RedisClientExtensionTest {

    /** What each test of a sample class saw, in the order the tests ran. */
    record Seen(RedisClient client, RedisConnectionFactory factory, String ping) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    private static TestExecutionSummary run(Class<?> sample) {
        SEEN.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(sample))
                                .build(),
                        listener);
        return listener.getSummary();
    }

    @Test
    void aClassRunsOncePerClientWithAFactoryOfThatClientConnectedToTheSharedServer() {
        TestExecutionSummary summary = run(PingsThroughTheInjectedFactory.class);

        assertThat(summary.getTotalFailureCount()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).extracting(Seen::client).containsExactly(RedisClient.LETTUCE, RedisClient.JEDIS);
        assertThat(SEEN.get(0).factory()).isInstanceOf(LettuceConnectionFactory.class);
        assertThat(SEEN.get(1).factory()).isInstanceOf(JedisConnectionFactory.class);
        assertThat(SEEN).extracting(Seen::ping).containsOnly("PONG");
    }

    @Test
    void everyTestGetsAFactoryOfItsOwnThatIsClosedWhenTheTestEnds() {
        TestExecutionSummary summary = run(TwoTestsWithConstructorInjection.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(4);
        assertThat(SEEN).extracting(Seen::factory).doesNotHaveDuplicates().allSatisfy(factory -> assertThat(
                        ((SmartLifecycle) factory).isRunning())
                .as("factory running after its test")
                .isFalse());
    }

    private static String ping(RedisConnectionFactory factory) {
        try (RedisConnection connection = factory.getConnection()) {
            return connection.ping();
        }
    }

    @WithRedisClients
    static class PingsThroughTheInjectedFactory {

        @Test
        void ping(RedisClient client, RedisConnectionFactory factory) {
            SEEN.add(new Seen(client, factory, RedisClientExtensionTest.ping(factory)));
        }
    }

    @WithRedisClients
    static class TwoTestsWithConstructorInjection {

        private final RedisClient client;
        private final RedisConnectionFactory factory;

        TwoTestsWithConstructorInjection(RedisClient client, RedisConnectionFactory factory) {
            this.client = client;
            this.factory = factory;
        }

        @Test
        void first() {
            SEEN.add(new Seen(client, factory, ping(factory)));
        }

        @Test
        void second() {
            SEEN.add(new Seen(client, factory, ping(factory)));
        }
    }
}
