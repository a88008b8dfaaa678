package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis work of a pool's operations does not grow with the pool: acquire, release and the creator's collection of
 * expired leases run the same Redis commands (counted by Redis's own command statistics, script calls included) in a
 * pool of 10 resources as in one of 5,000, and the collection's commands grow with the expired leases only. Each
 * command is O(log n) or O(1) (see the scripts' headers), so the cost per operation grows with the logarithm of the
 * size at most; the JMH figures are in docs/benchmarks.md.
 */
class PoolScriptCostTest {

    private static final Pattern CALLS = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

    /**
     * A server of this class's own, not the run's shared one: the test counts commands in INFO commandstats, which a
     * test class of the same JVM that left a background thread behind would change.
     */
    private static RedisServerProcess own;

    private RedisServerProcess server;
    private LettuceConnectionFactory factory;

    @BeforeAll
    static void startOwnServer() {
        own = RedisServerProcess.start();
    }

    @AfterAll
    static void stopOwnServer() {
        own.close();
    }

    @BeforeEach
    void connect() {
        this.server = own;
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
    }

    @AfterEach
    void close() {
        factory.destroy();
    }

    private PoolScripts pool(int resources) {
        PoolConfig config = PoolConfig.builder("cost-" + UUID.randomUUID()).build();
        PoolScripts scripts = new PoolScripts(new StringRedisTemplate(factory), config);
        scripts.init();
        for (int i = 0; i < resources; i++) {
            scripts.add(String.format("r%05d", i), i % 7, null);
        }
        return scripts;
    }

    /** The Redis commands {@code work} runs, by name, without the script calls themselves. */
    private Map<String, Long> commands(Consumer<Void> work) {
        server.command("CONFIG", "RESETSTAT");
        work.accept(null);
        Map<String, Long> calls = new TreeMap<>();
        Matcher m = CALLS.matcher(String.valueOf(server.command("INFO", "commandstats")));
        while (m.find()) {
            String command = m.group(1);
            if (!command.startsWith("eval") && !command.equals("info") && !command.startsWith("config")) {
                calls.put(command, Long.parseLong(m.group(2)));
            }
        }
        return calls;
    }

    private static void acquireAndRelease(PoolScripts scripts, String owner) {
        PoolScripts.Grant grant = scripts.acquire(owner, 30_000, null, false, 0, 1000);
        assertThat(grant.granted()).isTrue();
        scripts.release(owner, Long.toString(grant.token()), null);
    }

    @Test
    void acquireAndReleaseRunTheSameCommandsInAPoolOf10AsInAPoolOf5000() {
        PoolScripts small = pool(10);
        PoolScripts large = pool(5000);
        acquireAndRelease(small, "warm:small");
        acquireAndRelease(large, "warm:large");

        Map<String, Long> inSmall = commands(v -> acquireAndRelease(small, "small:1"));
        Map<String, Long> inLarge = commands(v -> acquireAndRelease(large, "large:1"));

        assertThat(inSmall).isNotEmpty().isEqualTo(inLarge);
    }

    @Test
    void collectingExpiredLeasesRunsCommandsInProportionToTheExpiredLeasesNotThePool() throws InterruptedException {
        PoolScripts small = expired(pool(10), 5);
        PoolScripts large = expired(pool(5000), 5);
        PoolScripts largeWithOne = expired(pool(5000), 1);
        PoolScripts largeWithNine = expired(pool(5000), 9);
        Thread.sleep(100);

        Map<String, Long> inSmall =
                commands(v -> assertThat(small.maintain(0).expiredLeases()).isEqualTo(5));
        Map<String, Long> inLarge =
                commands(v -> assertThat(large.maintain(0).expiredLeases()).isEqualTo(5));
        long one = total(commands(
                v -> assertThat(largeWithOne.maintain(0).expiredLeases()).isEqualTo(1)));
        long nine = total(commands(
                v -> assertThat(largeWithNine.maintain(0).expiredLeases()).isEqualTo(9)));

        assertThat(inSmall).isEqualTo(inLarge);
        long five = total(inLarge);
        assertThat(five).isGreaterThan(one);
        assertThat(nine - five).as("commands for 4 more expired leases").isEqualTo(five - one);
    }

    /** {@code pool} with {@code count} leases of 30 ms that nobody renews or releases. */
    private static PoolScripts expired(PoolScripts pool, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(pool.acquire("crashed:" + i, 30, null, false, 0, 1000).granted())
                    .isTrue();
        }
        return pool;
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }
}
