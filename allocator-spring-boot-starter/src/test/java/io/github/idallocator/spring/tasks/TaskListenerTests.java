package io.github.idallocator.spring.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.tasks.TaskQueueAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.tasks.NonRetryableTaskException;
import io.github.idallocator.tasks.Submission;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskContext;
import io.github.idallocator.tasks.TaskExecutionPolicy;
import io.github.idallocator.tasks.TaskFailedException;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskStatus;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@link TaskListener} methods run the tasks of their queue on a real Redis; the facade reads typed results. */
@WithRedisServer
class TaskListenerTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner;

    TaskListenerTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, TaskQueueAutoConfiguration.class)
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues(
                        "idallocator.tasks.emails.backoff.initial=0s",
                        "idallocator.tasks.emails.max-attempts=3",
                        "idallocator.tasks.emails.poll-bound=50ms",
                        "idallocator.tasks.emails.workers.threads=2",
                        "idallocator.tasks.emails.workers.shutdown-timeout=2s");
    }

    @Test
    void aTypedListenerRunsSubmittedTasksAndTheFacadeDecodesItsResult() {
        runner.withUserConfiguration(Mailer.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit("emails", new Email("ann@example.com", "Hello"));
            Receipt receipt = tasks.result("emails", sent.id(), Receipt.class, WAIT);

            assertThat(receipt).isEqualTo(new Receipt("ann@example.com", "sent: Hello", 1));
            assertThat(context.getBean(Mailer.class).runs).containsExactly(sent.id());
        });
    }

    @Test
    void theResultIsTheStoredJsonWhenReadAsAString() {
        runner.withUserConfiguration(Mailer.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit("emails", new Email("bob@example.com", "Hi"));

            assertThat(tasks.result("emails", sent.id(), String.class, WAIT))
                    .startsWith("{")
                    .contains("\"to\":\"bob@example.com\"", "\"status\":\"sent: Hi\"", "\"attempt\":1");
        });
    }

    @Test
    void aStringListenerGetsThePayloadAsSubmittedAndItsReturnValueIsTheResult() {
        runner.withUserConfiguration(Echo.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit(
                    "emails", "plain text", SubmitOptions.defaults().taskId("echo-1"));

            assertThat(sent.id()).isEqualTo("echo-1");
            assertThat(tasks.result("emails", "echo-1", String.class, WAIT)).isEqualTo("echo: plain text");
        });
    }

    @Test
    void aVoidListenerCompletesItsTasksWithAnEmptyResult() {
        runner.withUserConfiguration(Recorder.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit("emails", "note");

            assertThat(tasks.result("emails", sent.id(), String.class, WAIT)).isEmpty();
            assertThat(context.getBean(Recorder.class).seen).containsExactly("note@" + sent.id());
        });
    }

    @Test
    void aFailedAttemptIsRetriedAndTheNextAttemptsResultCounts() {
        runner.withUserConfiguration(FailsFirst.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit("emails", "flaky");

            assertThat(tasks.result("emails", sent.id(), String.class, WAIT)).isEqualTo("done on attempt 2");
        });
    }

    @Test
    void aNonRetryableFailureKillsTheTaskAtOnce() {
        runner.withUserConfiguration(Rejects.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Submission sent = tasks.submit("emails", "bad address");

            assertThatExceptionOfType(TaskFailedException.class)
                    .isThrownBy(() -> tasks.result("emails", sent.id(), String.class, WAIT));
            TaskStatus status = tasks.get("emails").status(sent.id()).orElseThrow();
            assertThat(status.state()).isEqualTo(TaskState.DEAD);
            assertThat(status.attempt())
                    .as("never retried, with 3 attempts allowed")
                    .isEqualTo(1);
            assertThat(status.lastError()).contains("no such mailbox");
            assertThat(tasks.get("emails").dead(0, 10).tasks()).hasSize(1);
        });
    }

    @Test
    void theWorkersRunTheThreadsOfThePropertiesUnlessTheAnnotationNamesItsOwn() {
        runner.withUserConfiguration(Echo.class).run(context -> assertThat(
                        context.getBean(TaskQueueLifecycle.class).workers())
                .singleElement()
                .satisfies(workers -> assertThat(workers.threads()).isEqualTo(2)));
        runner.withUserConfiguration(FourThreads.class).run(context -> assertThat(
                        context.getBean(TaskQueueLifecycle.class).workers())
                .singleElement()
                .satisfies(workers -> assertThat(workers.threads()).isEqualTo(4)));
    }

    @Test
    void aLocalCallRunsTheListenerInTheCallersThreadWithoutRedis() {
        runner.withUserConfiguration(Mailer.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);

            Receipt receipt = tasks.call(
                    "emails", new Email("cid@example.com", "Local"), Receipt.class, TaskExecutionPolicy.LOCAL, WAIT);

            assertThat(receipt).isEqualTo(new Receipt("cid@example.com", "sent: Local", 1));
            assertThat(context.getBean(Mailer.class).threads)
                    .containsExactly(Thread.currentThread().getName());
            assertThat(tasks.get("emails").stats().submitted()).isZero();
        });
    }

    @Test
    void anAutoCallGoesToTheQueueWhileAWorkerIsAlive() {
        runner.withUserConfiguration(Mailer.class).run(context -> {
            TaskQueues tasks = context.getBean(TaskQueues.class);
            awaitLiveWorker(tasks);

            Receipt receipt = tasks.call(
                    "emails", new Email("dan@example.com", "Remote"), Receipt.class, TaskExecutionPolicy.AUTO, WAIT);

            assertThat(receipt.status()).isEqualTo("sent: Remote");
            assertThat(context.getBean(Mailer.class).threads)
                    .singleElement()
                    .asString()
                    .startsWith("idallocator-tasks-emails-");
            assertThat(tasks.get("emails").stats().completed()).isEqualTo(1);
        });
    }

    @Test
    void closingTheContextStopsTheWorkersAndWithdrawsTheirPresence() {
        String prefix = TestContexts.uniquePrefix();
        ApplicationContextRunner shared = runner.withPropertyValues("idallocator.key-prefix=" + prefix);
        shared.withUserConfiguration(Echo.class).run(context -> awaitLiveWorker(context.getBean(TaskQueues.class)));

        shared.run(context -> {
            TaskQueue queue = context.getBean(TaskQueues.class).get("emails");
            assertThat(queue.stats().liveWorkers()).isZero();
        });
    }

    private static void awaitLiveWorker(TaskQueues tasks) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> tasks.get("emails").stats().liveWorkers() == 1);
    }

    record Email(String to, String subject) {}

    record Receipt(String to, String status, int attempt) {}

    @Configuration(proxyBeanMethods = false)
    static class Mailer {
        final List<String> runs = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @TaskListener("emails")
        Receipt send(Email email, TaskContext context) {
            runs.add(context.id());
            threads.add(Thread.currentThread().getName());
            return new Receipt(email.to(), "sent: " + email.subject(), context.attempt());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @TaskListener("emails")
        String echo(String payload) {
            return "echo: " + payload;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FourThreads {
        @TaskListener(value = "emails", threads = 4)
        String echo(String payload) {
            return payload;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @TaskListener("emails")
        void record(String payload, TaskContext context) {
            seen.add(payload + "@" + context.id());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailsFirst {
        @TaskListener("emails")
        String run(TaskContext context) {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "done on attempt " + context.attempt();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Rejects {
        @TaskListener("emails")
        String send(String address) throws NonRetryableTaskException {
            throw new NonRetryableTaskException("no such mailbox: " + address);
        }
    }
}
