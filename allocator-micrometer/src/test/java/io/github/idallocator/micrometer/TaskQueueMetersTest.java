package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskState;
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

/** The task queue gauges and counters on a plain application: tasks, Micrometer and real Redis, no Spring Boot. */
@WithRedisServer
class TaskQueueMetersTest {

    private static final Duration REFRESH = Duration.ofMillis(100);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisConnectionFactory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        RedisClient.Factory connected = RedisClient.LETTUCE.connect(redis);
        closing.add(connected);
        factory = connected.connectionFactory();
        name = "tasks-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void theGaugesAndCountersShowTheQueuesStatsFromTheBackgroundRead() {
        RedisTaskQueue queue = queue(factory);
        bind(queue);
        for (String payload : List.of("completes", "dies", "retries")) {
            queue.submit(payload);
        }
        queue.submit("later", SubmitOptions.defaults().delay(Duration.ofMinutes(1)));
        List<ClaimedTask> claimed = queue.claim(3);
        assertThat(claimed).extracting(ClaimedTask::payload).containsExactly("completes", "dies", "retries");
        queue.complete(claimed.get(0), "done");
        assertThat(queue.fail(claimed.get(1), "broken", Retry.NEVER)).contains(TaskState.DEAD);
        assertThat(queue.fail(claimed.get(2), "busy", Retry.after(Duration.ofMinutes(1))))
                .contains(TaskState.DELAYED);
        queue.submit("running");
        assertThat(queue.claim(1)).hasSize(1);
        queue.submit("waiting");
        queue.announce("worker-1", Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(TaskQueueMeterBinder.WAITING)).isEqualTo(1);
            assertThat(gauge(TaskQueueMeterBinder.DELAYED)).isEqualTo(2);
            assertThat(gauge(TaskQueueMeterBinder.RUNNING)).isEqualTo(1);
            assertThat(gauge(TaskQueueMeterBinder.DEAD)).isEqualTo(1);
            assertThat(gauge(TaskQueueMeterBinder.FINISHED)).isEqualTo(2);
            assertThat(gauge(TaskQueueMeterBinder.WORKERS)).isEqualTo(1);
            assertThat(counter(TaskQueueMeterBinder.SUBMITTED)).isEqualTo(6);
            assertThat(counter(TaskQueueMeterBinder.COMPLETED)).isEqualTo(1);
            assertThat(counter(TaskQueueMeterBinder.FAILED)).isEqualTo(2);
            assertThat(counter(TaskQueueMeterBinder.RETRIED)).isEqualTo(1);
            assertThat(counter(TaskQueueMeterBinder.DIED)).isEqualTo(1);
        });
        assertThat(counter(TaskQueueMeterBinder.EXPIRED)).isZero();
        assertThat(counter(TaskQueueMeterBinder.REQUEUED)).isZero();
        assertThat(gauge(TaskQueueMeterBinder.OLDEST_WAITING)).isBetween(0.0, 5.0);
        assertThat(gauge(TaskQueueMeterBinder.STATS_AGE)).isBetween(0.0, 5.0);
    }

    @Test
    void aRequeuedDeadTaskLeavesTheDeadGaugeAndIsCounted() {
        RedisTaskQueue queue = queue(factory);
        bind(queue);
        String id = queue.submit("dies").id();
        queue.fail(queue.claim(1).get(0), "broken", Retry.NEVER);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(TaskQueueMeterBinder.DEAD) == 1);

        assertThat(queue.requeue(id)).isTrue();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge(TaskQueueMeterBinder.DEAD)).isZero();
            assertThat(gauge(TaskQueueMeterBinder.WAITING)).isEqualTo(1);
            assertThat(counter(TaskQueueMeterBinder.REQUEUED)).isEqualTo(1);
        });
    }

    @Test
    void anAttemptNotCompletedWithinItsVisibilityTimeoutIsCountedAsExpiredWhenTheNextClaimTakesItBack()
            throws Exception {
        RedisTaskQueue queue = queue(
                factory,
                TaskQueueConfig.builder(name)
                        .visibilityTimeout(Duration.ofMillis(200))
                        .build());
        bind(queue);
        queue.submit("abandoned");
        assertThat(queue.claim(1)).hasSize(1);
        Thread.sleep(300);

        assertThat(queue.claim(1)).extracting(ClaimedTask::attempt).containsExactly(2);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(counter(TaskQueueMeterBinder.EXPIRED)).isEqualTo(1);
            assertThat(gauge(TaskQueueMeterBinder.RUNNING)).isEqualTo(1);
        });
    }

    @Test
    void theOldestWaitingGaugeGrowsWhileNoWorkerClaimsTheTask() {
        RedisTaskQueue queue = queue(factory);
        bind(queue);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(TaskQueueMeterBinder.STATS_AGE) >= 0);
        assertThat(gauge(TaskQueueMeterBinder.OLDEST_WAITING)).isZero();

        queue.submit("unclaimed");

        await().atMost(Duration.ofSeconds(5)).until(() -> gauge(TaskQueueMeterBinder.OLDEST_WAITING) >= 0.5);
    }

    @Test
    void aScrapeNeverWaitsForAPausedRedisTheGaugesTurnNaNAndTheCountersKeepTheirValue() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisClient.Factory connected = RedisClient.LETTUCE.connect(own);
            closing.add(connected);
            RedisTaskQueue queue = queue(connected.connectionFactory());
            bind(queue);
            queue.submit("waiting");
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(TaskQueueMeterBinder.WAITING) == 1);

            own.pause();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                    for (int i = 0; i < 20; i++) {
                        gauge(TaskQueueMeterBinder.WAITING);
                        counter(TaskQueueMeterBinder.SUBMITTED);
                        gauge(TaskQueueMeterBinder.STATS_AGE);
                        Thread.sleep(20);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> Double.isNaN(gauge(TaskQueueMeterBinder.WAITING)));
                assertThat(gauge(TaskQueueMeterBinder.STATS_AGE)).isGreaterThan(1.0);
                assertThat(counter(TaskQueueMeterBinder.SUBMITTED)).isEqualTo(1);
            } finally {
                own.resume();
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(TaskQueueMeterBinder.WAITING) == 1);
        }
    }

    @Test
    void closingTheBinderStopsItsThread() {
        TaskQueueMeterBinder binder = new TaskQueueMeterBinder(List.of(queue(factory)), REFRESH);
        binder.bindTo(meters);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 1);

        binder.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> threads() == 0);
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("idallocator-task-meters-"))
                .count();
    }

    private RedisTaskQueue queue(RedisConnectionFactory connections) {
        return queue(connections, TaskQueueConfig.builder(name).build());
    }

    private RedisTaskQueue queue(RedisConnectionFactory connections, TaskQueueConfig config) {
        RedisTaskQueue queue = RedisTaskQueue.create(connections, config, "instance-" + UUID.randomUUID());
        closing.add(queue);
        return queue;
    }

    private void bind(TaskQueue queue) {
        TaskQueueMeterBinder binder = new TaskQueueMeterBinder(List.of(queue), REFRESH);
        closing.add(binder);
        binder.bindTo(meters);
    }

    private double gauge(String meter) {
        return meters.get(meter).tag("queue", name).gauge().value();
    }

    private double counter(String meter) {
        return meters.get(meter).tag("queue", name).functionCounter().count();
    }
}
