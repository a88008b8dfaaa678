package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Nothing a crashed client leaves in a pool lives forever: its leases, waiter tickets and bindings are collected by the
 * creator's maintenance after their deadlines, forced revocations are forgotten after a day, and the creator key has a
 * TTL. What stays is the pool itself: its configuration, its resources and their free set.
 */
@WithRedisServer
class PoolHygieneTest {

    private RedisServerProcess server;
    private LettuceConnectionFactory factory;
    private final List<RedisResourcePool> pools = new ArrayList<>();

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
    }

    @AfterEach
    void close() {
        pools.forEach(RedisResourcePool::close);
        factory.destroy();
    }

    private PoolConfig config() {
        return PoolConfig.builder("hygiene-" + UUID.randomUUID())
                .leaseTime(Duration.ofMillis(300))
                .bindingTtl(Duration.ofSeconds(1))
                .waitPollBound(Duration.ofMillis(50))
                .maintenanceInterval(Duration.ofMillis(100))
                .build();
    }

    /** A client that acquires and waits through the scripts alone: nothing of it releases, renews or cancels. */
    private PoolScripts crashedClient(PoolConfig config) {
        PoolScripts scripts = new PoolScripts(new StringRedisTemplate(factory), config);
        scripts.init();
        return scripts;
    }

    private RedisResourcePool creator(PoolConfig config) {
        RedisResourcePool pool = RedisResourcePool.createOrAttach(factory, config, "creator");
        pools.add(pool);
        return pool;
    }

    /** The parts ({@code meta}, {@code res}, ...) of the pool's keys that exist. */
    private Set<String> existingParts(PoolConfig config) {
        Set<String> parts = new TreeSet<>();
        List<String> keys = PoolScripts.keys(config);
        for (int i = 0; i < keys.size(); i++) {
            if ((Long) server.command("EXISTS", keys.get(i)) == 1) {
                parts.add(PoolScripts.PARTS.get(i));
            }
        }
        return parts;
    }

    @Test
    void theLeasesTicketsAndBindingsOfACrashedClientAreCollected() {
        PoolConfig config = config();
        PoolScripts crashed = crashedClient(config);
        for (String r : List.of("a", "b", "c")) {
            crashed.add(r, 0, null);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(crashed.acquire("crashed:" + i, 300, "w" + i, false, 0, 100)
                            .granted())
                    .isTrue();
        }
        assertThat(crashed.acquire("crashed:waiter", 300, null, true, 0, 200).granted())
                .isFalse();
        assertThat(existingParts(config))
                .contains("leases", "deadlines", "holders", "binds", "bindexp", "waiters", "wdead");

        RedisResourcePool pool = creator(config);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(existingParts(config))
                .containsExactlyInAnyOrder("meta", "res", "free", "creator"));
        PoolSnapshot.Totals totals = pool.snapshot().totals();
        assertThat(totals.expired()).isEqualTo(3);
        assertThat(totals.available()).isEqualTo(3);
        assertThat((Long) server.command("PTTL", PoolScripts.keys(config).get(13)))
                .isPositive();
    }

    @Test
    void revocationsAreForgottenAfterADay() {
        PoolConfig config = config();
        String revoked = PoolScripts.keys(config).get(12);
        long now = Long.parseLong(((List<?>) server.command("TIME")).get(0).toString()) * 1000;
        server.command("ZADD", revoked, Long.toString(now - Duration.ofDays(1).toMillis() - 1000), "old");
        server.command("ZADD", revoked, Long.toString(now), "recent");

        creator(config);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.command("ZSCORE", revoked, "old") == null);
        assertThat(server.command("ZSCORE", revoked, "recent")).isNotNull();
    }

    @Test
    void theCreatorRoleIsGivenUpOnClose() {
        PoolConfig config = config();
        RedisResourcePool pool = creator(config);
        await().atMost(Duration.ofSeconds(5)).until(pool::isCreator);

        pool.close();

        assertThat(existingParts(config)).doesNotContain("creator");
    }
}
