package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Lock keys in Redis: every key of a namespace always has a TTL, whatever sequence of operations ran, and a renewal
 * never outlives the release of its lease.
 */
@WithRedisServer
class LockKeyHygieneTest {

    private RedisServerProcess server;
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private final List<RedisLockService> services = new ArrayList<>();

    @BeforeEach
    void keep(RedisServerProcess server) {
        this.server = server;
    }

    @AfterEach
    void close() {
        services.forEach(RedisLockService::close);
        factories.forEach(LettuceConnectionFactory::destroy);
    }

    private RedisLockService service(LockConfig config) {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        RedisLockService service = RedisLockService.create(factory, config);
        services.add(service);
        return service;
    }

    /** Every key of the namespace mapped to its PTTL. */
    private Map<String, Long> ttls(LockConfig config) {
        Map<String, Long> ttls = new HashMap<>();
        List<?> keys = (List<?>) server.command("KEYS", config.keyPrefix() + ":{" + config.namespace() + ":*");
        for (Object key : keys) {
            ttls.put(key.toString(), (Long) server.command("PTTL", key.toString()));
        }
        return ttls;
    }

    @Test
    void everyLockKeyHasATtlAfterEveryStepOfARandomSequenceOfOperations() throws Exception {
        LockConfig config = LockConfig.builder("hygiene-" + UUID.randomUUID())
                .leaseTime(Duration.ofMillis(200))
                .tokenRetention(Duration.ofSeconds(2))
                .build();
        List<RedisLockService> instances = List.of(service(config), service(config), service(config));
        List<LockLease> leases = new ArrayList<>();
        List<Lock> held = new ArrayList<>();
        Random random = new Random(42);

        for (int step = 0; step < 400; step++) {
            RedisLockService locks = instances.get(random.nextInt(instances.size()));
            String name = "n" + random.nextInt(6);
            switch (random.nextInt(6)) {
                case 0, 1 -> locks.tryAcquire(name).ifPresent(leases::add);
                case 2 -> {
                    if (!leases.isEmpty()) {
                        leases.remove(random.nextInt(leases.size())).release();
                    }
                }
                case 3 -> {
                    Lock lock = locks.asLock(name);
                    if (lock.tryLock()) {
                        held.add(lock);
                    }
                }
                case 4 -> {
                    if (!held.isEmpty()) {
                        held.remove(held.size() - 1).unlock();
                    }
                }
                default -> Thread.sleep(random.nextInt(80));
            }

            assertThat(ttls(config)).as("keys after step %d", step).allSatisfy((key, ttl) -> assertThat(ttl)
                    .as("TTL of %s", key)
                    .isPositive());
        }
    }

    @Test
    void noRenewalOutlivesTheReleaseOfItsLease() throws Exception {
        LockConfig config = LockConfig.builder("renewal-" + UUID.randomUUID())
                .leaseTime(Duration.ofMillis(30))
                .tokenRetention(Duration.ofSeconds(30))
                .build();
        List<RedisLockService> instances = List.of(service(config), service(config));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> cycles = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                RedisLockService locks = instances.get(t % 2);
                String name = "n" + t % 3;
                cycles.add(threads.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 300; i++) {
                        Optional<LockLease> lease = locks.tryAcquire(name, Duration.ofMillis(100));
                        if (lease.isPresent()) {
                            long pause = ThreadLocalRandom.current().nextLong(0, 25_000_000);
                            TimeUnit.NANOSECONDS.sleep(pause);
                            lease.get().release();
                            done++;
                        }
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : cycles) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).isGreaterThan(300);
        } finally {
            threads.shutdownNow();
        }

        for (String key : ttls(config).keySet()) {
            assertThat(server.command("HGET", key, "owner"))
                    .as("owner of %s", key)
                    .isNull();
        }
        Map<String, Long> before = ttls(config);
        Thread.sleep(100);
        Map<String, Long> after = ttls(config);
        assertThat(after).allSatisfy((key, ttl) -> assertThat(ttl)
                .as("TTL of %s is not being renewed", key)
                .isLessThanOrEqualTo(before.get(key) - 50));
    }
}
