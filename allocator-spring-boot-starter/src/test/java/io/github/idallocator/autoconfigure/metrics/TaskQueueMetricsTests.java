package io.github.idallocator.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.micrometer.TaskQueueMeterBinder;
import io.github.idallocator.micrometer.TaskWorkerMeters;
import io.github.idallocator.spring.tasks.TaskListener;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.test.WithRedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The starter wires the task queue meters: the queues' gauges and counters, and the listener workers' timers. */
@WithRedisServer
class TaskQueueMetricsTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner;

    TaskQueueMetricsTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(
                        redis,
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        TaskQueueAutoConfiguration.class,
                        IdAllocatorMetricsAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.tasks.emails.poll-bound=50ms",
                        "idallocator.tasks.emails.workers.threads=1",
                        "idallocator.metrics.refresh-interval=100ms");
    }

    @Test
    void everyQueueHasItsGaugesAndCounters() {
        runner.run(context -> {
            context.getBean(TaskQueues.class).submit("emails", "x");
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(meters.get(TaskQueueMeterBinder.WAITING)
                                .tag("queue", "emails")
                                .gauge()
                                .value())
                        .isEqualTo(1);
                assertThat(meters.get(TaskQueueMeterBinder.SUBMITTED)
                                .tag("queue", "emails")
                                .functionCounter()
                                .count())
                        .isEqualTo(1);
            });
        });
    }

    @Test
    void theListenerWorkersRunsAreTimedByOutcome() {
        runner.withUserConfiguration(Echo.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);
            String id = tasks.submit("emails", "x").id();
            tasks.result("emails", id, String.class, WAIT);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(meters.get(TaskWorkerMeters.DURATION)
                                .tag("queue", "emails")
                                .tag("outcome", "completed")
                                .timer()
                                .count())
                        .isEqualTo(1);
                assertThat(meters.get(TaskWorkerMeters.CLAIM_LATENCY)
                                .tag("queue", "emails")
                                .timer()
                                .count())
                        .isEqualTo(1);
            });
        });
    }

    @Test
    void withoutTheTaskModuleThereAreNoTaskMeters() {
        runner.withClassLoader(new FilteredClassLoader("io.github.idallocator.tasks"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TaskQueueMeterBinder.class);
                    assertThat(context).doesNotHaveBean(MeteringTaskWorkerListener.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @TaskListener("emails")
        String echo(String payload) {
            return "echo: " + payload;
        }
    }
}
