package io.github.idallocator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.NonRetryableTaskException;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskHandler;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskWorkers;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The meters of the tasks that workers run, recorded by the workers' listener, which calls no Redis; no Spring Boot. */
@WithRedisServer
class TaskWorkerMetersTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisTaskQueue queue;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess redis) {
        RedisClient.Factory connected = RedisClient.LETTUCE.connect(redis);
        closing.add(connected);
        name = "workers-" + UUID.randomUUID().toString().substring(0, 8);
        queue = RedisTaskQueue.create(
                connected.connectionFactory(),
                TaskQueueConfig.builder(name)
                        .pollBound(Duration.ofMillis(100))
                        .backoff(Backoff.fixed(Duration.ofMillis(50)))
                        .build(),
                "instance-" + UUID.randomUUID());
        closing.add(queue);
    }

    @AfterEach
    void disconnect() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void eachRunIsTimedAndItsAttemptRecordedByOutcome() {
        start(context -> switch (context.payload()) {
            case "flaky" -> {
                if (context.attempt() == 1) {
                    throw new IllegalStateException("first attempt fails");
                }
                yield "done on attempt " + context.attempt();
            }
            case "broken" -> throw new NonRetryableTaskException("never works");
            default -> {
                Thread.sleep(200);
                yield "done";
            }
        });
        queue.submit("slow");
        queue.submit("flaky");
        queue.submit("broken");

        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(MeterNotFoundException.class)
                .untilAsserted(() -> {
                    assertThat(duration("completed").count()).isEqualTo(2);
                    assertThat(duration("retried").count()).isEqualTo(1);
                    assertThat(duration("died").count()).isEqualTo(1);
                });
        assertThat(duration("completed").max(TimeUnit.MILLISECONDS)).isBetween(200.0, 5000.0);
        assertThat(attempts("completed").totalAmount()).isEqualTo(1 + 2);
        assertThat(attempts("completed").max()).isEqualTo(2);
        assertThat(attempts("retried").totalAmount()).isEqualTo(1);
        assertThat(attempts("died").totalAmount()).isEqualTo(1);
        assertThat(duration("refused").count()).isZero();
        assertThat(duration("unfinished").count()).isZero();
        assertThat(claimLatency().count()).isEqualTo(4);
    }

    @Test
    void theClaimLatencyIsHowLongTheTaskWaitedForAWorker() throws Exception {
        String id = queue.submit("early").id();
        Thread.sleep(500);

        start(context -> "done");

        assertThat(queue.result(id, Duration.ofSeconds(10))).isEqualTo("done");
        await().atMost(Duration.ofSeconds(5)).until(() -> claimLatency().count() == 1);
        assertThat(claimLatency().totalTime(TimeUnit.MILLISECONDS)).isBetween(450.0, 5000.0);
    }

    private void start(TaskHandler handler) {
        TaskWorkers workers = TaskWorkers.builder(queue, handler)
                .threads(2)
                .shutdownTimeout(Duration.ofSeconds(5))
                .listener(new TaskWorkerMeters(meters))
                .start();
        closing.add(workers);
    }

    private Timer claimLatency() {
        return meters.get(TaskWorkerMeters.CLAIM_LATENCY).tag("queue", name).timer();
    }

    private Timer duration(String outcome) {
        return meters.get(TaskWorkerMeters.DURATION)
                .tag("queue", name)
                .tag("outcome", outcome)
                .timer();
    }

    private DistributionSummary attempts(String outcome) {
        return meters.get(TaskWorkerMeters.ATTEMPTS)
                .tag("queue", name)
                .tag("outcome", outcome)
                .summary();
    }
}
