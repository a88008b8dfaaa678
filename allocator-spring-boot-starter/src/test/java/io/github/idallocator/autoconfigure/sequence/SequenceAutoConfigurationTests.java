package io.github.idallocator.autoconfigure.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.RecoveringException;
import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.sequence.IdBlock;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.SequenceAllocatorFactory;
import io.github.idallocator.spring.SequenceAllocators;
import io.github.idallocator.spring.SequenceRepairEvent;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@WithRedisServer
class SequenceAutoConfigurationTests {

    /** Sequences new to Redis are served at once: these specs are not about the recovery period. */
    private static final String NO_RECOVERY = "idallocator.sequences.orders.recovery-period=0";

    private final RedisServerProcess redis;
    private final ApplicationContextRunner runner;

    SequenceAutoConfigurationTests(RedisServerProcess redis) {
        this.redis = redis;
        this.runner = TestContexts.withRedis(redis);
    }

    @Test
    void theOnlyConfiguredSequenceIsInjectedWithoutQualifier() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10", NO_RECOVERY)
                .run(context -> {
                    SequenceAllocator orders = context.getBean(SequenceAllocator.class);
                    assertThat(orders.name()).isEqualTo("orders");
                    assertThat(orders.next()).isEqualTo(1);
                    assertThat(orders.next()).isEqualTo(2);
                });
    }

    @Test
    void eachOfSeveralSequencesIsInjectedByItsQualifier() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10", "idallocator.sequences.invoices.step=20")
                .withUserConfiguration(QualifiedInjection.class)
                .run(context -> {
                    QualifiedInjection injected = context.getBean(QualifiedInjection.class);
                    assertThat(injected.orders.name()).isEqualTo("orders");
                    assertThat(injected.invoices.name()).isEqualTo("invoices");
                });
    }

    @Test
    void theConfiguredPrimarySequenceIsInjectedWithoutQualifier() {
        runner.withPropertyValues(
                        "idallocator.sequences.orders.step=10",
                        "idallocator.sequences.invoices.step=20",
                        "idallocator.primary-sequence=invoices")
                .run(context -> assertThat(
                                context.getBean(SequenceAllocator.class).name())
                        .isEqualTo("invoices"));
    }

    @Test
    void severalSequencesWithoutPrimaryFailAnUnqualifiedInjectionWithAHintToSetThePrimary() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10", "idallocator.sequences.invoices.step=20")
                .withUserConfiguration(UnqualifiedInjection.class)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalyses.ofNoPrimary(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("orders, invoices", "none of them is primary");
                    assertThat(analysis.getAction()).contains("idallocator.primary-sequence", "@Qualifier");
                });
    }

    @Test
    void aSequenceAndAnAllocatorMayShareANameAndAreInjectedByItAsQualifier() {
        runner.withPropertyValues("idallocator.allocators.orders.max-id=99", "idallocator.sequences.orders.step=10")
                .withUserConfiguration(SameNameInjection.class)
                .run(context -> {
                    SameNameInjection injected = context.getBean(SameNameInjection.class);
                    assertThat(injected.allocator).isSameAs(context.getBean("ordersIdAllocator"));
                    assertThat(injected.sequence).isSameAs(context.getBean("ordersSequence"));
                });
    }

    @Test
    void theRegistryFindsSequencesByNameAndIteratesThemAll() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10", "idallocator.sequences.invoices.step=20")
                .run(context -> {
                    SequenceAllocators sequences = context.getBean(SequenceAllocators.class);
                    assertThat(sequences.get("invoices")).isSameAs(context.getBean("invoicesSequence"));
                    assertThat(sequences.find("unknown")).isEmpty();
                    assertThat(sequences)
                            .extracting(SequenceAllocator::name)
                            .containsExactlyInAnyOrder("orders", "invoices");
                });
    }

    @Test
    void theRegistryIsEmptyWithoutSequences() {
        runner.run(context ->
                assertThat(context.getBean(SequenceAllocators.class).isEmpty()).isTrue());
    }

    @Test
    void sequencesTakeTheirSettingsFromThePropertiesAndTheirKeyFromTheKeyPrefix() {
        String prefix = TestContexts.uniquePrefix();
        runner.withPropertyValues(
                        "idallocator.key-prefix=" + prefix,
                        "idallocator.sequences.orders.step=10",
                        "idallocator.sequences.orders.max-step=10",
                        "idallocator.sequences.orders.initial-value=1000",
                        NO_RECOVERY)
                .run(context -> {
                    RedisSequenceAllocator orders = context.getBean(RedisSequenceAllocator.class);
                    IdBlock block = orders.next(3);

                    assertThat(block).isEqualTo(new IdBlock(1000, 1002));
                    assertThat(redis.command("HGET", prefix + ":{orders}:sequence", "next"))
                            .isEqualTo("1010");
                    assertThat(orders.config())
                            .isEqualTo(SequenceConfig.builder("orders")
                                    .keyPrefix(prefix)
                                    .step(10)
                                    .maxStep(10)
                                    .initialValue(1000)
                                    .recoveryPeriod(Duration.ZERO)
                                    .build());
                });
    }

    @Test
    void segmentsAreFetchedInTheBackgroundOnThePrivatePool() {
        runner.withPropertyValues(
                        "idallocator.sequences.orders.step=10", "idallocator.sequences.orders.max-step=10", NO_RECOVERY)
                .run(context -> {
                    SequenceAllocator orders = context.getBean(SequenceAllocator.class);
                    for (int i = 0; i < 9; i++) {
                        orders.next();
                    }

                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> orders.stats().segmentsFetched() == 2);
                    assertThat(Thread.getAllStackTraces().keySet())
                            .extracting(Thread::getName)
                            .anyMatch(name -> name.startsWith("idallocator-prefetch-"));
                });
    }

    @Test
    void noExecutorIsPublishedAsABean() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10").run(context -> {
            assertThat(context).doesNotHaveBean(Executor.class);
            assertThat(context).doesNotHaveBean(TaskExecutor.class);
        });
    }

    @Test
    void sequencesKeepHandingOutIdsAfterTheLifecycleStopped() {
        runner.withPropertyValues(
                        "idallocator.sequences.orders.step=5", "idallocator.sequences.orders.max-step=5", NO_RECOVERY)
                .run(context -> {
                    SequenceAllocator orders = context.getBean(SequenceAllocator.class);
                    orders.next();
                    context.getBean(IdAllocatorLifecycle.class).stop();

                    for (int i = 0; i < 20; i++) {
                        orders.next();
                    }

                    assertThat(orders.stats().lastHandedOut()).isEqualTo(21);
                });
    }

    @Test
    void repairsArePublishedAsApplicationEvents() {
        runner.withPropertyValues("idallocator.sequences.orders.floor=5000", NO_RECOVERY)
                .withUserConfiguration(RepairEvents.class)
                .run(context -> {
                    SequenceAllocator orders = context.getBean(SequenceAllocator.class);

                    assertThat(orders.next()).isEqualTo(5000);

                    List<SequenceRepairEvent> received = context.getBean(RepairEvents.class).received;
                    assertThat(received).hasSize(1);
                    assertThat(received.get(0).getSequence()).isSameAs(orders);
                    assertThat(received.get(0).getRepair().floor()).isEqualTo(5000);
                    assertThat(received.get(0).getRepair().dataLoss()).isFalse();
                });
    }

    @Test
    void backsOffFromTheConfiguredSequencesWhenTheApplicationDefinesASequence() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10")
                .withUserConfiguration(OwnSequence.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(SequenceAllocator.class);
                    assertThat(context).doesNotHaveBean("ordersSequence");
                    assertThat(context.getBean(SequenceAllocators.class).names())
                            .containsExactly("mine");
                });
    }

    @Test
    void aSequenceWhoseBeanNameIsTakenFailsStartUpNamingBoth() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10")
                .withBean("ordersSequence", String.class, () -> "taken")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("idallocator.sequences.orders", "'ordersSequence' is already taken");
                    assertThat(analysis.getAction()).contains("Rename the sequence");
                });
    }

    @Test
    void aNewSequenceRefusesItsFirstIdsForTheDefaultRecoveryPeriodWithARetryableException() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10").run(context -> {
            RedisSequenceAllocator orders = context.getBean(RedisSequenceAllocator.class);

            RecoveringException refused = catchThrowableOfType(RecoveringException.class, orders::next);

            assertThat(orders.config().recoveryPeriod()).isEqualTo(Duration.ofSeconds(10));
            assertThat(refused.isRetryable()).isTrue();
            assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void theRecoveryPeriodComesFromTheProperties() {
        runner.withPropertyValues("idallocator.sequences.orders.recovery-period=2s")
                .run(context -> assertThat(context.getBean(RedisSequenceAllocator.class)
                                .config()
                                .recoveryPeriod())
                        .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void closingTheContextClosesTheSequences() {
        RedisSequenceAllocator[] kept = new RedisSequenceAllocator[1];
        runner.withPropertyValues("idallocator.sequences.orders.step=10", NO_RECOVERY)
                .run(context -> {
                    kept[0] = context.getBean(RedisSequenceAllocator.class);
                    kept[0].next();
                });

        assertThatThrownBy(kept[0]::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void sequencesCreatedAtRunTimeByTheFactoryAreClosedWithTheContext() {
        RedisSequenceAllocator[] kept = new RedisSequenceAllocator[1];
        runner.run(context -> kept[0] = context.getBean(SequenceAllocatorFactory.class)
                .create(SequenceConfig.builder("later")
                        .keyPrefix(TestContexts.uniquePrefix())
                        .recoveryPeriod(Duration.ZERO)
                        .build()));

        assertThatThrownBy(kept[0]::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void isOffWhenIdAllocatorIsDisabled() {
        runner.withPropertyValues("idallocator.sequences.orders.step=10", "idallocator.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SequenceAllocator.class);
                    assertThat(context).doesNotHaveBean(SequenceAllocators.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjection {

        @Autowired
        @Qualifier("orders")
        SequenceAllocator orders;

        @Autowired
        @Qualifier("invoices")
        SequenceAllocator invoices;
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedInjection {

        @Autowired
        SequenceAllocator sequence;
    }

    @Configuration(proxyBeanMethods = false)
    static class SameNameInjection {

        @Autowired
        @Qualifier("orders")
        IdAllocator allocator;

        @Autowired
        @Qualifier("orders")
        SequenceAllocator sequence;
    }

    @Configuration(proxyBeanMethods = false)
    static class RepairEvents {

        final List<SequenceRepairEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SequenceRepairEvent event) {
            received.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSequence {

        @Bean
        SequenceAllocator mine(RedisConnectionFactory connectionFactory) {
            return RedisSequenceAllocator.create(
                    connectionFactory,
                    SequenceConfig.builder("mine")
                            .keyPrefix(TestContexts.uniquePrefix())
                            .build());
        }
    }
}
