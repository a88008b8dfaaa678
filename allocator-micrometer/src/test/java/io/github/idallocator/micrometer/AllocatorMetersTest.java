package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The allocator gauges: read from Redis in the background, so that a scrape never waits for Redis. */
@WithRedisServer
class AllocatorMetersTest {

    private static final Duration REFRESH = Duration.ofMillis(100);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisConnectionFactory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        RedisClient.Factory connection = RedisClient.LETTUCE.connect(redis);
        closing.add(connection);
        factory = connection.connectionFactory();
        name = "meters-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void theGaugesShowTheAllocatorsStatsFromTheBackgroundRead() {
        IdAllocator orders = allocator(factory, 9);
        orders.allocate(4);
        bind(orders);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(IdAllocatorMeterBinder.ALLOCATED)).isEqualTo(4);
            assertThat(gauge(IdAllocatorMeterBinder.AVAILABLE)).isEqualTo(6);
            assertThat(gauge(IdAllocatorMeterBinder.UTILISATION)).isEqualTo(0.4);
        });
        assertThat(gauge(IdAllocatorMeterBinder.STATS_AGE)).isBetween(0.0, 5.0);
    }

    @Test
    void theGaugesFollowLaterAllocations() {
        IdAllocator orders = allocator(factory, 9);
        bind(orders);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(IdAllocatorMeterBinder.ALLOCATED) == 0);

        orders.allocate(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(IdAllocatorMeterBinder.ALLOCATED) == 2);
    }

    @Test
    void aScrapeNeverWaitsForAPausedRedisAndTheGaugesTurnNaNOnceItsReadFails() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisClient.Factory ownConnection = RedisClient.LETTUCE.connect(own);
            closing.add(ownConnection);
            IdAllocator orders = allocator(ownConnection.connectionFactory(), 9);
            orders.allocate(1);
            bind(orders);
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(IdAllocatorMeterBinder.ALLOCATED) == 1);

            own.pause();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                    for (int i = 0; i < 20; i++) {
                        gauge(IdAllocatorMeterBinder.ALLOCATED);
                        gauge(IdAllocatorMeterBinder.UTILISATION);
                        gauge(IdAllocatorMeterBinder.CREATOR);
                        Thread.sleep(20);
                    }
                });
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Double.isNaN(gauge(IdAllocatorMeterBinder.ALLOCATED)));
                assertThat(gauge(IdAllocatorMeterBinder.STATS_AGE)).isGreaterThan(1.0);
            } finally {
                own.resume();
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(IdAllocatorMeterBinder.ALLOCATED) == 1);
        }
    }

    @Test
    void closingTheBinderStopsItsThread() {
        IdAllocatorMeterBinder binder = new IdAllocatorMeterBinder(List.of(allocator(factory, 9)), REFRESH);
        binder.bindTo(meters);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 1);

        binder.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 0);
    }

    @Test
    void aRefreshIntervalThatIsNotPositiveIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IdAllocatorMeterBinder(List.of(), Duration.ZERO))
                .withMessageContaining("refreshInterval PT0S must be positive");
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("idallocator-allocator-meters-"))
                .count();
    }

    private IdAllocator allocator(RedisConnectionFactory connections, long maxId) {
        return RedisIdAllocator.createOrAttach(
                connections,
                IdAllocatorConfig.builder(name, 0, maxId)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "instance-a");
    }

    private void bind(IdAllocator allocator) {
        IdAllocatorMeterBinder binder = new IdAllocatorMeterBinder(List.of(allocator), REFRESH);
        closing.add(binder);
        binder.bindTo(meters);
    }

    private double gauge(String meter) {
        return meters.get(meter).tag("allocator", name).gauge().value();
    }
}
