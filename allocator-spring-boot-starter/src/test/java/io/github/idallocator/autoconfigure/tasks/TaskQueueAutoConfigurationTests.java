package io.github.idallocator.autoconfigure.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyNameException;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.spring.tasks.JsonTaskCodecs;
import io.github.idallocator.spring.tasks.TaskCodecs;
import io.github.idallocator.spring.tasks.TaskListener;
import io.github.idallocator.spring.tasks.TaskListenerRegistry;
import io.github.idallocator.spring.tasks.TaskQueueLifecycle;
import io.github.idallocator.spring.tasks.TaskQueueSettings;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@WithRedisServer
class TaskQueueAutoConfigurationTests {

    private final ApplicationContextRunner runner;

    TaskQueueAutoConfigurationTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, TaskQueueAutoConfiguration.class);
    }

    @Test
    void withoutTheTaskModuleThereAreNoTaskBeansEvenWithQueuesConfigured() {
        runner.withClassLoader(new FilteredClassLoader("io.github.idallocator.tasks"))
                .withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TaskQueues.class);
                    assertThat(context).doesNotHaveBean(TaskQueueLifecycle.class);
                    assertThat(context).doesNotHaveBean(TaskListenerRegistry.class);
                    assertThat(context).doesNotHaveBean("emailsTaskQueue");
                });
    }

    @Test
    void noQueueIsCreatedUnlessOneIsConfigured() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TaskQueue.class);
            assertThat(context.getBean(TaskQueues.class)).isEmpty();
        });
    }

    @Test
    void isOffWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.enabled=false", "idallocator.tasks.emails.max-attempts=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TaskQueues.class);
                    assertThat(context).doesNotHaveBean(TaskQueue.class);
                });
    }

    @Test
    void aConfiguredQueueIsABeanNamedAfterItWithTheLibraryDefaults() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues("idallocator.key-prefix=" + prefix, "idallocator.tasks.emails.max-attempts=5")
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context).hasBean("emailsTaskQueue");
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue).isInstanceOf(RedisTaskQueue.class);
                    assertThat(queue.config())
                            .isEqualTo(TaskQueueConfig.builder("emails")
                                    .keyPrefix(prefix)
                                    .build());
                    assertThat(context.getBean(TaskQueues.class).settings("emails"))
                            .isEqualTo(TaskQueueSettings.DEFAULTS);
                    assertThat(context.getBean(TaskQueues.class).get("emails")).isSameAs(queue);
                });
    }

    @Test
    void theSettingsComeFromTheProperties() {
        runner.withPropertyValues(
                        "idallocator.tasks.emails.key-prefix=mail",
                        "idallocator.tasks.emails.visibility-timeout=2m",
                        "idallocator.tasks.emails.max-attempts=7",
                        "idallocator.tasks.emails.backoff.initial=200ms",
                        "idallocator.tasks.emails.backoff.max=10s",
                        "idallocator.tasks.emails.backoff.multiplier=3",
                        "idallocator.tasks.emails.backoff.jitter=0",
                        "idallocator.tasks.emails.retention=2h",
                        "idallocator.tasks.emails.dead-retention=3d",
                        "idallocator.tasks.emails.idle-expiry=10d",
                        "idallocator.tasks.emails.poll-bound=250ms",
                        "idallocator.tasks.emails.workers.threads=3",
                        "idallocator.tasks.emails.workers.shutdown-timeout=5s",
                        "idallocator.tasks.emails.health.max-waiting=1m")
                .run(context -> {
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.config())
                            .isEqualTo(new TaskQueueConfig(
                                    "emails",
                                    "mail",
                                    Duration.ofMinutes(2),
                                    7,
                                    new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 3, 0),
                                    Duration.ofHours(2),
                                    Duration.ofDays(3),
                                    Duration.ofDays(10),
                                    Duration.ofMillis(250)));
                    assertThat(context.getBean(TaskQueues.class).settings("emails"))
                            .isEqualTo(new TaskQueueSettings(3, Duration.ofSeconds(5), Duration.ofMinutes(1)));
                });
    }

    @Test
    void eachQueueIsInjectedByItsQualifier() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3", "idallocator.tasks.reports.max-attempts=1")
                .withUserConfiguration(QualifiedConsumer.class)
                .run(context -> {
                    QualifiedConsumer consumer = context.getBean(QualifiedConsumer.class);
                    assertThat(consumer.emails.name()).isEqualTo("emails");
                    assertThat(consumer.reports.name()).isEqualTo("reports");
                    assertThat(context.getBean(TaskQueues.class).names()).containsExactly("emails", "reports");
                });
    }

    @Test
    void theOnlyQueueIsInjectedWithoutAQualifier() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(UnqualifiedConsumer.class)
                .run(context -> assertThat(
                                context.getBean(UnqualifiedConsumer.class).queue.name())
                        .isEqualTo("emails"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.tasks.emails.visibility-timeout     | 10ms  | visibilityTimeout
            idallocator.tasks.emails.max-attempts           | 0     | must be 1 to 1000
            idallocator.tasks.emails.backoff.initial        | 2d    | must be PT0S to PT24H
            idallocator.tasks.emails.backoff.multiplier     | 0.5   | must be 1 to 100
            idallocator.tasks.emails.backoff.jitter         | 2     | must be 0 to 1
            idallocator.tasks.emails.retention              | 0s    | must be PT1S to PT8760H
            idallocator.tasks.emails.dead-retention         | 400d  | must be PT1S to PT8760H
            idallocator.tasks.emails.idle-expiry            | 1h    | must be PT168H to PT87600H
            idallocator.tasks.emails.poll-bound             | 0s    | must be PT0.001S to PT1M
            idallocator.tasks.emails.key-prefix             | a b   | key prefix
            idallocator.tasks.emails.workers.threads        | 0     | it must be 1 to 1000
            idallocator.tasks.emails.workers.shutdown-timeout | 2h  | it must be 0 to 1h
            idallocator.tasks.emails.health.max-waiting     | 0s    | it must be 1ms to 365d
            """)
    void aWrongValueFailsStartUpNamingThePropertyAndWhy(String property, String value, String reason) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(property).contains(reason);
        });
    }

    @Test
    void anInvalidQueueNameFailsStartUpNamingTheEntry() {
        runner.withPropertyValues("idallocator.tasks[a b].max-attempts=2").run(context -> {
            FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("idallocator.tasks.a b", "task queue name 'a b' is invalid");
        });
    }

    @Test
    void aMisspelledSettingFailsStartUpWithTheNearestKey() {
        runner.withPropertyValues("idallocator.tasks.emails.max-atempts=2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOf(InvalidIdAllocatorPropertyNameException.class)
                    .hasMessageContaining("idallocator.tasks.emails.max-attempts");
        });
    }

    @Test
    void payloadsAreJsonWithTheApplicationsMapper() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .run(context -> {
                    TaskQueues queues = context.getBean(TaskQueues.class);
                    assertThat(queues.codecs()).isInstanceOf(JsonTaskCodecs.class);
                    String json = queues.codecs().codec(Email.class).encode(new Email("ann@example.com", "Hi"));
                    assertThat(json).startsWith("{").contains("\"to\":\"ann@example.com\"", "\"subject\":\"Hi\"");
                    assertThat(queues.codecs().codec(Email.class).decode(json))
                            .isEqualTo(new Email("ann@example.com", "Hi"));
                    assertThat(queues.codecs().codec(String.class).encode("as is"))
                            .isEqualTo("as is");
                });
    }

    @Test
    void withoutAMapperOnlyStringsAreSent() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3").run(context -> {
            TaskQueues queues = context.getBean(TaskQueues.class);
            assertThat(queues.codecs()).isSameAs(TaskCodecs.strings());
            assertThatExceptionOfType(InvalidArgumentException.class)
                    .isThrownBy(() -> queues.submit("emails", new Email("ann@example.com", "Hi")))
                    .withMessageContaining("no JSON mapper");
            assertThat(queues.get("emails").stats().submitted()).isZero();
        });
    }

    @Test
    void aListenerOfAnUnconfiguredQueueFailsStartUpNamingTheMethodAndTheProperty() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(ReportsListener.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("ReportsListener.render(String)")
                            .hasMessageContaining("idallocator.tasks.reports.*")
                            .hasMessageContaining("[emails]");
                });
    }

    @Test
    void aListenerWithParametersThatDoNotFitFailsStartUpNamingTheMethod() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(TwoPayloadsListener.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("TwoPayloadsListener.send(String, String)")
                            .hasMessageContaining("(T payload, TaskContext context)");
                });
    }

    @Test
    void aListenerOfATypedPayloadWithoutAMapperFailsStartUp() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(EmailListener.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("EmailListener.send(Email)")
                            .hasMessageContaining("needs a JSON mapper");
                });
    }

    @Test
    void twoListenersOfOneQueueFailStartUp() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(StringListener.class, SecondStringListener.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("handles already");
                });
    }

    @Test
    void backsOffFromQueuesTheApplicationDefinesAndListsThemInTheFacade() {
        runner.withPropertyValues("idallocator.tasks.emails.max-attempts=3")
                .withUserConfiguration(OwnQueue.class)
                .run(context -> {
                    assertThat(context).doesNotHaveBean("emailsTaskQueue");
                    assertThat(context.getBean(TaskQueues.class).names()).containsExactly("own");
                });
    }

    record Email(String to, String subject) {}

    @Configuration(proxyBeanMethods = false)
    static class QualifiedConsumer {
        final TaskQueue emails;
        final TaskQueue reports;

        QualifiedConsumer(@Qualifier("emails") TaskQueue emails, @Qualifier("reports") TaskQueue reports) {
            this.emails = emails;
            this.reports = reports;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedConsumer {
        final TaskQueue queue;

        UnqualifiedConsumer(TaskQueue queue) {
            this.queue = queue;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportsListener {
        @TaskListener("reports")
        String render(String payload) {
            return payload;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPayloadsListener {
        @TaskListener("emails")
        String send(String first, String second) {
            return first + second;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EmailListener {
        @TaskListener("emails")
        void send(Email email) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class StringListener {
        @TaskListener("emails")
        void send(String email) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondStringListener {
        @TaskListener("emails")
        void sendAgain(String email) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnQueue {
        @Bean(destroyMethod = "close")
        RedisTaskQueue ownQueue(org.springframework.data.redis.connection.RedisConnectionFactory connectionFactory) {
            return RedisTaskQueue.create(
                    connectionFactory,
                    TaskQueueConfig.builder("own")
                            .keyPrefix(TestContexts.uniquePrefix())
                            .build(),
                    "own-instance");
        }
    }
}
