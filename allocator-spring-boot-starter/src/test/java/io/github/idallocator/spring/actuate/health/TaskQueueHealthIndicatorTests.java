package io.github.idallocator.spring.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

@WithRedisServer
class TaskQueueHealthIndicatorTests {

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    TaskQueueHealthIndicatorTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(
                        redis, TaskQueueAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.tasks.emails.max-attempts=3", "idallocator.tasks.reports.max-attempts=1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void isUpWithEachQueuesCountsWhileNoTaskWaitsTooLong() {
        runner.run(context -> {
            TaskQueues queues = context.getBean(TaskQueues.class);
            queues.submit("emails", "first");
            queues.submit("emails", "second");

            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> emails =
                    (Map<String, Object>) health.getDetails().get("emails");
            assertThat(emails)
                    .containsEntry("status", "UP")
                    .containsEntry("waiting", 2L)
                    .containsEntry("delayed", 0L)
                    .containsEntry("running", 0L)
                    .containsEntry("dead", 0L)
                    .containsEntry("liveWorkers", 0L)
                    .containsKey("oldestWaiting");
            assertThat((Map<String, Object>) health.getDetails().get("reports"))
                    .containsEntry("status", "UP")
                    .containsEntry("waiting", 0L)
                    .doesNotContainKey("oldestWaiting");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void isDownWhenATaskWaitsLongerThanMaxWaitingWithNoLiveWorker() {
        runner.withPropertyValues("idallocator.tasks.emails.health.max-waiting=100ms")
                .run(context -> {
                    context.getBean(TaskQueues.class).submit("emails", "nobody runs this");

                    Awaitility.await()
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> health(context).getStatus().equals(Status.DOWN));

                    Health health = health(context);
                    assertThat((Map<String, Object>) health.getDetails().get("emails"))
                            .containsEntry("status", "DOWN")
                            .containsEntry("liveWorkers", 0L)
                            .hasEntrySatisfying(
                                    "error", error -> assertThat((String) error).contains("no live worker"));
                    assertThat((Map<String, Object>) health.getDetails().get("reports"))
                            .containsEntry("status", "UP");
                });
    }

    @Test
    void isUpWhileALiveWorkerExistsHoweverLongTasksWait() {
        runner.withPropertyValues("idallocator.tasks.emails.health.max-waiting=100ms")
                .run(context -> {
                    TaskQueue emails = context.getBean(TaskQueues.class).get("emails");
                    emails.submit("waits for a busy worker");
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> health(context).getStatus().equals(Status.DOWN));

                    emails.announce("worker-elsewhere", Duration.ofSeconds(30));

                    assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void isDownWithinItsTimeoutWhileRedisDoesNotAnswer() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            TestContexts.withRedis(
                            own, TaskQueueAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                    .withPropertyValues(
                            "spring.data.redis.timeout=10s",
                            "idallocator.health.timeout=300ms",
                            "idallocator.tasks.emails.max-attempts=3")
                    .run(context -> {
                        assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                        own.pause();
                        try {
                            Health health = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> health(context));

                            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                            assertThat((Map<String, Object>) health.getDetails().get("emails"))
                                    .containsEntry("status", "DOWN")
                                    .containsEntry("error", "Redis did not answer within PT0.3S");
                        } finally {
                            own.resume();
                        }
                    });
        }
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("management.health.tasks.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("tasksHealthIndicator"));
    }

    @Test
    void isAbsentWithoutTaskQueues() {
        TestContexts.withRedis(
                        redis, TaskQueueAutoConfiguration.class, IdAllocatorHealthContributorAutoConfiguration.class)
                .run(context -> assertThat(context).doesNotHaveBean("tasksHealthIndicator"));
    }

    private static Health health(ApplicationContext context) {
        return context.getBean("tasksHealthIndicator", HealthIndicator.class).health();
    }
}
