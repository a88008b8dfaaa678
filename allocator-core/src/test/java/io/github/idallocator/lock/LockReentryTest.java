package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Re-entering a held {@link Lock} costs no Redis call, counted by Redis itself. */
class LockReentryTest {

    private static final Pattern CALLS = Pattern.compile("cmdstat_(evalsha|eval):calls=(\\d+)");

    /**
     * A server of this class's own, not the run's shared one: the test counts commands in INFO commandstats, which a
     * test class of the same JVM that left a background thread behind would change. (The test warms up first, so that
     * both scripts are in Redis's cache: an EVALSHA that meets NOSCRIPT is followed by an EVAL, two calls.)
     */
    private static RedisServerProcess own;

    private RedisServerProcess server;
    private LettuceConnectionFactory factory;
    private RedisLockService locks;

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
        locks = RedisLockService.create(
                factory, LockConfig.builder("reentry-" + UUID.randomUUID()).build());
    }

    @AfterEach
    void close() {
        locks.close();
        factory.destroy();
    }

    private long scriptCalls() {
        long calls = 0;
        Matcher m = CALLS.matcher(String.valueOf(server.command("INFO", "commandstats")));
        while (m.find()) {
            calls += Long.parseLong(m.group(2));
        }
        return calls;
    }

    @Test
    void aThousandReentriesAndUnlocksOfAHeldLockCostNoRedisCall() {
        locks.tryAcquire("warm-up").orElseThrow().release();
        Lock lock = locks.asLock("orders");
        lock.lock();
        long before = scriptCalls();

        for (int i = 0; i < 1000; i++) {
            lock.lock();
        }
        for (int i = 0; i < 1000; i++) {
            lock.unlock();
        }

        assertThat(scriptCalls()).isEqualTo(before);
        lock.unlock();
        assertThat(scriptCalls()).isEqualTo(before + 1);
    }
}
