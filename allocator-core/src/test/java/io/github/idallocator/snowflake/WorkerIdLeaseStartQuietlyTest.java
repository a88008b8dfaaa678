package io.github.idallocator.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** {@link WorkerIdLease#startQuietly}: renews at once on the caller and keeps trying while Redis is away. */
class WorkerIdLeaseStartQuietlyTest {

    private static final WorkerLeaseSettings FAST = new WorkerLeaseSettings(
            Duration.ofMillis(600), Duration.ofMillis(150), Duration.ofMillis(100), Duration.ofMillis(300));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private RedisServerProcess redis;
    private LettuceConnectionFactory factory;
    private WorkerIdLease lease;
    private SnowflakeIdGenerator generator;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port()),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(200))
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        IdAllocator workers = RedisIdAllocator.createOrAttach(
                factory,
                IdAllocatorConfig.builder("workers-" + UUID.randomUUID(), 0, 1023)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "pod-a");
        generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
        lease = new WorkerIdLease(workers, generator, FAST, System::currentTimeMillis);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        lease.close();
        factory.destroy();
        redis.close();
    }

    @Test
    void renewsAtOnceOnTheCallingThread() throws InterruptedException {
        lease.acquire();
        long acquired = lease.lastRenewalNanos();
        Thread.sleep(5);

        lease.startQuietly(scheduler);

        assertThat(lease.lastRenewalNanos()).isGreaterThan(acquired);
    }

    @Test
    void leasesAWorkerIdAtOnceWhenNoneIsHeld() {
        lease.startQuietly(scheduler);

        assertThat(generator.isGranted()).isTrue();
        assertThat(lease.workerId()).isZero();
    }

    @Test
    void startsWhileRedisIsDownAndLeasesAWorkerIdOnceRedisIsBack() {
        redis.kill();

        lease.startQuietly(scheduler);
        assertThat(generator.isGranted()).isFalse();

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(generator::isGranted);
    }

    @Test
    void reportsNoWorkerIdOnceTheLeaseCouldNotBeRenewedInTime() {
        lease.startQuietly(scheduler);
        redis.kill();

        await().atMost(Duration.ofSeconds(5)).until(() -> !generator.isGranted());

        assertThat(lease.workerId()).isEqualTo(-1);
        assertThat(lease.claim()).isNotNull();
    }
}
