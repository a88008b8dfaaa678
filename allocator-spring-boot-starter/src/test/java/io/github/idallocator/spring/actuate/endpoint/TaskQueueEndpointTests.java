package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.spring.tasks.TaskListener;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

@WithRedisServer
class TaskQueueEndpointTests {

    private final ApplicationContextRunner runner;

    TaskQueueEndpointTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(
                        redis, TaskQueueAutoConfiguration.class, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator",
                        "idallocator.tasks.emails.max-attempts=1",
                        "idallocator.tasks.emails.visibility-timeout=20s",
                        "idallocator.tasks.reports.max-attempts=3");
    }

    @Test
    void theOverviewShowsEachQueuesConfigurationAndCountsWithoutDeadTasks() {
        runner.run(context -> {
            TaskQueues queues = context.getBean(TaskQueues.class);
            queues.submit("emails", "one");
            queues.submit("emails", "two");
            queues.submit("emails", "later", SubmitOptions.defaults().delay(Duration.ofMinutes(5)));

            TaskQueueDescriptor shown = context.getBean(IdAllocatorEndpoint.class)
                    .allocators()
                    .tasks()
                    .get("emails");

            assertThat(shown.name()).isEqualTo("emails");
            assertThat(shown.configuration())
                    .isEqualTo(new TaskQueueDescriptor.Configuration("PT20S", 1, "PT24H", "PT168H", 0));
            assertThat(shown.stats().waiting()).isEqualTo(2);
            assertThat(shown.stats().delayed()).isEqualTo(1);
            assertThat(shown.stats().submitted()).isEqualTo(3);
            assertThat(shown.stats().liveWorkers()).isZero();
            assertThat(shown.stats().oldestWaiting()).startsWith("PT");
            assertThat(shown.deadTasks()).isNull();
            assertThat(shown.error()).isNull();
            assertThat(context.getBean(IdAllocatorEndpoint.class).allocators().tasks())
                    .containsOnlyKeys("emails", "reports");
        });
    }

    @Test
    void aQueuesPageShowsItsFirstDeadTasks() {
        runner.run(context -> {
            TaskQueue emails = context.getBean(TaskQueues.class).get("emails");
            emails.submit("undeliverable", SubmitOptions.defaults().taskId("mail-1"));
            ClaimedTask claimed = emails.claim(1).get(0);
            emails.fail(claimed, "mailbox full", Retry.BACKOFF);

            Object shown = context.getBean(IdAllocatorEndpoint.class).named("tasks", "emails", null, null);

            assertThat(shown).isInstanceOf(TaskQueueDescriptor.class);
            TaskQueueDescriptor queue = (TaskQueueDescriptor) shown;
            assertThat(queue.stats().dead()).isEqualTo(1);
            assertThat(queue.deadTasks().total()).isEqualTo(1);
            assertThat(queue.deadTasks().nextOffset()).isEqualTo(-1);
            assertThat(queue.deadTasks().tasks()).singleElement().satisfies(dead -> {
                assertThat(dead.id()).isEqualTo("mail-1");
                assertThat(dead.attempts()).isEqualTo(1);
                assertThat(dead.lastError()).isEqualTo("mailbox full");
                assertThat(dead.diedAt()).endsWith("Z");
            });
        });
    }

    @Test
    void aQueueIsFoundByItsNameAloneAndAnUnknownOneIsNotFound() {
        runner.run(context -> {
            IdAllocatorEndpoint endpoint = context.getBean(IdAllocatorEndpoint.class);

            assertThat(endpoint.named("reports")).isInstanceOf(TaskQueueDescriptor.class);
            assertThat(endpoint.named("tasks", "unknown", null, null)).isNull();
            assertThat(endpoint.named("unknown")).isNull();
        });
    }

    @Test
    void theConfigurationShowsTheThreadsOfThisInstancesListener() {
        runner.withUserConfiguration(Reporter.class).run(context -> {
            TaskQueue reports = context.getBean(TaskQueues.class).get("reports");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> reports.stats().liveWorkers() == 1);

            TaskQueueDescriptor shown = context.getBean(IdAllocatorEndpoint.class)
                    .allocators()
                    .tasks()
                    .get("reports");

            assertThat(shown.configuration().workerThreads()).isEqualTo(2);
            assertThat(shown.stats().liveWorkers()).isEqualTo(1);
        });
    }

    @Test
    void withoutTheTaskModuleTheEndpointShowsNoQueues() {
        runner.withClassLoader(new FilteredClassLoader("io.github.idallocator.tasks"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(IdAllocatorEndpoint.class)
                                    .allocators()
                                    .tasks())
                            .isEmpty();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Reporter {
        @TaskListener(value = "reports", threads = 2)
        String render(String payload) {
            return payload;
        }
    }
}
