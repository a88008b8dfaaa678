package io.github.idallocator.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Role;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

@WithRedisServer
@ExtendWith(OutputCaptureExtension.class)
class IdAllocatorLifecycleTests {

    private static final Duration CREATOR_TTL = Duration.ofMillis(600);

    private final RedisServerProcess redis;
    private final String prefix = TestContexts.uniquePrefix();
    private final ApplicationContextRunner runner;

    IdAllocatorLifecycleTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis)
                .withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.allocators.orders.max-id=99",
                        "idallocator.allocators.orders.creator-ttl=" + CREATOR_TTL.toMillis() + "ms",
                        "idallocator.allocators.orders.heartbeat-interval=150ms");
    }

    /** The root logs warnings only (logback-test.xml); the tests of log lines read idallocator's INFO lines. */
    @BeforeEach
    void logInfo() {
        idallocatorLogger().setLevel(Level.INFO);
    }

    @AfterEach
    void logAsConfigured() {
        idallocatorLogger().setLevel(null);
    }

    private static ch.qos.logback.classic.Logger idallocatorLogger() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.github.idallocator");
    }

    @Test
    void heartbeatsKeepTheCreatorLeaseWithoutEnableScheduling() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            await().during(CREATOR_TTL.multipliedBy(3))
                    .atMost(CREATOR_TTL.multipliedBy(5))
                    .until(() -> orders.instanceId().equals(orders.stats().creatorId()));
        });
    }

    @Test
    void heartbeatsGoOnWhileTheApplicationsOnlySchedulerThreadIsBusy() {
        runner.withUserConfiguration(BusyScheduler.class).run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            BusyScheduler busy = context.getBean(BusyScheduler.class);
            busy.started.await();
            await().during(CREATOR_TTL.multipliedBy(3))
                    .atMost(CREATOR_TTL.multipliedBy(5))
                    .until(() -> CreatorElection.roleOf(orders) == Role.CREATOR && busy.release.getCount() == 1);
            busy.release.countDown();
        });
    }

    @Test
    void publishesAnEventWhenAHeartbeatFindsTheAllocatorRecreatedInRedis() {
        runner.withUserConfiguration(RecreationEvents.class).run(context -> {
            for (Object key : (List<?>) redis.command("KEYS", prefix + ":{orders}:*")) {
                redis.command("DEL", key.toString());
            }

            List<IdAllocatorRecreatedEvent> received = context.getBean(RecreationEvents.class).received;
            await().atMost(Duration.ofSeconds(3)).until(() -> !received.isEmpty());
            assertThat(received.get(0).getAllocator().name()).isEqualTo("orders");
            assertThat(received.get(0).getRecreation().allocator()).isEqualTo("orders");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class RecreationEvents {
        final List<IdAllocatorRecreatedEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(IdAllocatorRecreatedEvent event) {
            received.add(event);
        }
    }

    @Test
    void startUpLogsTheRoleOfAnAllocatorOnce(CapturedOutput output) {
        runner.run(context -> {
            String instance = context.getBean(IdAllocator.class).instanceId();

            assertThat(lines(output, "allocator 'orders'", instance))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains("Attached to id allocator 'orders'", "as CREATOR"));
        });
    }

    @Test
    void shutdownLogsOneLineForTheLeasesItReleased(CapturedOutput output) {
        String[] instance = new String[1];
        runner.withPropertyValues("idallocator.allocators.orders.release-on-shutdown=true")
                .run(context -> {
                    IdAllocator orders = context.getBean(IdAllocator.class);
                    instance[0] = orders.instanceId();
                    orders.allocate();
                });

        assertThat(lines(output, "of allocator 'orders' held by instance", instance[0]))
                .containsExactly(
                        "Released 1 lease of allocator 'orders' held by instance " + instance[0] + " on shutdown");
    }

    @Test
    void shutdownLogsNothingForAnAllocatorThatHeldNoLease(CapturedOutput output) {
        String[] instance = new String[1];
        runner.withPropertyValues("idallocator.allocators.orders.release-on-shutdown=true")
                .run(context -> instance[0] = context.getBean(IdAllocator.class).instanceId());

        assertThat(lines(output, "of allocator 'orders' held by instance", instance[0]))
                .isEmpty();
    }

    /** The messages of the log lines that contain every one of {@code parts}. */
    private static List<String> lines(CapturedOutput output, String... parts) {
        return output.getAll()
                .lines()
                .filter(line -> Arrays.stream(parts).allMatch(line::contains))
                .map(line -> line.substring(line.indexOf(" - ") < 0 ? 0 : line.indexOf(" - ") + 3))
                .toList();
    }

    @Test
    void noSchedulerIsPublishedAsABean() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(TaskScheduler.class);
            assertThat(context).doesNotHaveBean(ScheduledExecutorService.class);
            assertThat(context).hasSingleBean(IdAllocatorLifecycle.class);
        });
    }

    @Test
    void closingTheContextReleasesTheCreatorRoleAndTheLeasesAskedToBeReleased() {
        runner.withPropertyValues("idallocator.allocators.orders.release-on-shutdown=true")
                .run(context -> {
                    context.getBean(IdAllocator.class).allocate(3);
                    assertThat(redis.command("HLEN", key("orders", "leases"))).isEqualTo(3L);
                    assertThat(redis.command("EXISTS", key("orders", "creator")))
                            .isEqualTo(1L);

                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

                    assertThat(redis.command("HLEN", key("orders", "leases"))).isEqualTo(0L);
                    assertThat(redis.command("EXISTS", key("orders", "creator")))
                            .isEqualTo(0L);
                });
    }

    @Test
    void closingTheContextKeepsTheLeasesOfAllocatorsThatLetThemExpire() {
        runner.run(context -> {
            context.getBean(IdAllocator.class).allocate();

            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

            assertThat(redis.command("HLEN", key("orders", "leases"))).isEqualTo(1L);
            assertThat(redis.command("EXISTS", key("orders", "creator"))).isEqualTo(0L);
        });
    }

    @Test
    void stoppedHeartbeatsStartAgain() {
        runner.run(context -> {
            IdAllocator orders = context.getBean(IdAllocator.class);
            IdAllocatorLifecycle lifecycle = context.getBean(IdAllocatorLifecycle.class);
            lifecycle.stop();
            assertThat(redis.command("EXISTS", key("orders", "creator"))).isEqualTo(0L);

            lifecycle.start();

            await().atMost(CREATOR_TTL)
                    .until(() -> orders.instanceId().equals(orders.stats().creatorId()));
        });
    }

    private String key(String allocator, String part) {
        return prefix + ":{" + allocator + "}:" + part;
    }

    /** An application with its own one-thread scheduler, whose only thread a job blocks until the test ends. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class BusyScheduler {

        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        ThreadPoolTaskScheduler taskScheduler() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setPoolSize(1);
            return scheduler;
        }

        @Scheduled(fixedDelay = 10)
        void slowJob() throws InterruptedException {
            started.countDown();
            release.await();
        }
    }
}
