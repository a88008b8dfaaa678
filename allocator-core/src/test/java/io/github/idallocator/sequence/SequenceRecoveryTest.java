package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What a sequence promises when Redis loses its state or is down: new instances wait out the recovery period while
 * running ones re-register, segments are leased, and no call waits for Redis longer than about one command timeout.
 */
@WithRedisServer
class SequenceRecoveryTest {

    /** The command timeout of every client in this class. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** The counter of an established sequence (see {@link #established}). */
    private static final long START = 100_000;

    private final List<AutoCloseable> closers = new ArrayList<>();
    private RedisServerProcess server;
    private String name;

    @BeforeEach
    void setUp(RedisServerProcess server) {
        this.server = server;
        this.name = "seq-" + UUID.randomUUID();
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closers);
        for (AutoCloseable closer : closers) {
            closer.close();
        }
    }

    private RedisSequenceAllocator sequence(
            RedisClient client, RedisServerProcess to, UnaryOperator<SequenceConfig.Builder> custom) {
        RedisClient.Factory factory = client.connectWithClientDefaults(to, TIMEOUT);
        closers.add(factory);
        RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                factory.connectionFactory(),
                custom.apply(SequenceConfig.builder(name)).build());
        closers.add(sequence);
        return sequence;
    }

    private String key() {
        return "idalloc:{" + name + "}:sequence";
    }

    /** The sequence as it is in a Redis that has held it for long: born long ago, next id {@link #START}. */
    private void established(RedisServerProcess on) {
        on.command("HSET", key(), "born", "0", "next", Long.toString(START));
    }

    private static long[] drain(SequenceAllocator sequence, int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sequence.next();
        }
        return ids;
    }

    @ParameterizedTest
    @EnumSource(RedisClient.class)
    void aNewInstanceAfterAnEmptyRestartIsRefusedThenStartsAboveWhatARunningInstanceHandedOutAndHolds(
            RedisClient client) {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            newInstanceAfterALoss(client, own, () -> {
                own.kill();
                own.restart();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(RedisClient.class)
    void aNewInstanceAfterFlushAllIsRefusedThenStartsAboveWhatARunningInstanceHandedOutAndHolds(RedisClient client) {
        newInstanceAfterALoss(client, server, server::flushAll);
    }

    /**
     * Instance A hands out 100000..100002 and holds the rest of its segment (up to 100999); Redis loses the sequence;
     * instance B, started after the loss with the same configuration, is refused until A had the chance to
     * re-register, and then never hands out an id A handed out or holds.
     */
    private void newInstanceAfterALoss(RedisClient client, RedisServerProcess on, Runnable loss) {
        Duration period = Duration.ofSeconds(3);
        UnaryOperator<SequenceConfig.Builder> config =
                b -> b.step(1000).maxStep(1000).recoveryPeriod(period);
        established(on);
        RedisSequenceAllocator a = sequence(client, on, config);
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        a.addRepairListener(repairs::add);
        long[] handedOutBefore = drain(a, 3);
        long held = a.stats().highWaterMark();

        loss.run();
        RedisSequenceAllocator b = sequence(client, on, config);
        RecoveringException refused = await().atMost(period)
                .ignoreExceptionsMatching(e -> !(e instanceof RecoveringException))
                .until(() -> catchThrowableOfType(RecoveringException.class, b::next), e -> e != null);
        await().atMost(period).until(() -> !repairs.isEmpty());
        long bFirst = await().atMost(period.multipliedBy(2))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(RecoveringException.class)
                .until(b::next, id -> true);
        long[] aAfter = drain(a, 2000);
        long[] bAfter = drain(b, 2000);

        assertThat(handedOutBefore).containsExactly(START, START + 1, START + 2);
        assertThat(held).isEqualTo(START + 999);
        assertThat(refused.isRetryable()).isTrue();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(period);
        assertThat(repairs.get(0).dataLoss()).isTrue();
        assertThat(bFirst).isGreaterThan(held);
        assertThat(LongStream.concat(
                                LongStream.concat(LongStream.of(handedOutBefore), LongStream.of(aAfter)),
                                LongStream.concat(LongStream.of(bFirst), LongStream.of(bAfter)))
                        .toArray())
                .doesNotHaveDuplicates();
    }

    @Test
    void aCounterThatWentBackInAnOldHashStartsARecoveryPeriodAtTheFirstRepair() {
        Duration period = Duration.ofSeconds(2);
        UnaryOperator<SequenceConfig.Builder> config =
                b -> b.step(1000).maxStep(1000).recoveryPeriod(period);
        established(server);
        RedisSequenceAllocator a = sequence(RedisClient.LETTUCE, server, config);
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        a.addRepairListener(repairs::add);
        a.next();

        server.command("HSET", key(), "next", Long.toString(START)); // a replica that missed the grant, promoted
        await().atMost(period).until(() -> !repairs.isEmpty());
        RedisSequenceAllocator b = sequence(RedisClient.LETTUCE, server, config);
        RecoveringException refused = catchThrowableOfType(RecoveringException.class, b::next);
        long bFirst = await().atMost(period.multipliedBy(2))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(RecoveringException.class)
                .until(b::next, id -> true);

        assertThat(refused).isNotNull();
        assertThat(bFirst).isGreaterThan(START + 999);
    }

    @Test
    void aFirstEverStartIsRefusedAtMostForTheRecoveryPeriodAndTheRefusalWritesOnlyTheBirth() {
        Duration period = Duration.ofSeconds(2);
        RedisSequenceAllocator sequence = sequence(RedisClient.LETTUCE, server, b -> b.recoveryPeriod(period));
        long started = System.nanoTime();

        RecoveringException refused = catchThrowableOfType(RecoveringException.class, sequence::next);
        Object stored = server.command("HGETALL", key());
        long first = await().atMost(period.multipliedBy(3))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(RecoveringException.class)
                .until(sequence::next, id -> true);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused).isNotNull();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(period);
        assertThat(refused).hasMessageContaining(name);
        assertThat((List<?>) stored).hasSize(2).first().isEqualTo("born");
        assertThat(first).isEqualTo(1);
        assertThat(waited).isLessThan(period.multipliedBy(3));
    }

    @Test
    void strictModeRefusesANewInstanceDuringTheRecoveryPeriodToo() {
        RedisSequenceAllocator sequence =
                sequence(RedisClient.LETTUCE, server, b -> b.strict(true).recoveryPeriod(Duration.ofSeconds(5)));

        assertThatThrownBy(sequence::next).isInstanceOf(RecoveringException.class);
        assertThatThrownBy(() -> sequence.next(3)).isInstanceOf(RecoveringException.class);
        assertThat(server.command("HGET", key(), "next")).isNull();
    }

    @Test
    void anInstanceServedBeforeTheLossIsNotRefusedDuringTheRecoveryPeriod() {
        established(server);
        RedisSequenceAllocator running = sequence(
                RedisClient.LETTUCE, server, b -> b.step(10).maxStep(10).recoveryPeriod(Duration.ofSeconds(30)));
        long before = running.next();

        server.flushAll();
        long[] after = drain(running, 30);

        assertThat(after).isSorted().doesNotHaveDuplicates();
        assertThat(after[0]).isGreaterThan(before);
        assertThat(running.stats().repairs()).isEqualTo(1);
    }

    @Test
    void aRunningInstanceThatCannotConfirmForLongerThanItsLeaseStopsHandingOutFromItsSegment() {
        Duration period = Duration.ofSeconds(3); // a lease of 2 s: a first grant on a busy machine is well inside it
        try (RedisServerProcess own = RedisServerProcess.start()) {
            established(own);
            RedisSequenceAllocator sequence = sequence(
                    RedisClient.LETTUCE, own, b -> b.step(1000).maxStep(1000).recoveryPeriod(period));
            sequence.next();

            own.kill();
            long killed = System.nanoTime();
            List<Long> served = new ArrayList<>();
            RedisUnavailableException stopped = await().atMost(period.multipliedBy(5))
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                            () -> {
                                try {
                                    served.add(sequence.next());
                                    return null;
                                } catch (RedisUnavailableException e) {
                                    return e;
                                }
                            },
                            e -> e != null);
            Duration afterKill = Duration.ofNanos(System.nanoTime() - killed);

            assertThat(served).isNotEmpty().hasSizeLessThan(999);
            assertThat(stopped).isNotInstanceOf(RecoveringException.class);
            assertThat(afterKill).isLessThan(period.multipliedBy(3));
        }
    }

    @ParameterizedTest
    @EnumSource(RedisClient.class)
    void withRedisDownEveryCallEndsWithinAboutOneCommandTimeoutWithATypedException(RedisClient client)
            throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            established(own);
            RedisSequenceAllocator sequence =
                    sequence(client, own, b -> b.step(100).maxStep(100).prefetchThreshold(0.1));
            drain(sequence, 50);

            own.kill();
            AtomicLong longest = new AtomicLong();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> callUntilFailures(sequence, 3, failures::add, longest)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();

            assertThat(failures).hasSize(24).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(RedisUnavailableException.class));
            assertThat(Duration.ofNanos(longest.get()))
                    .isLessThanOrEqualTo(TIMEOUT.multipliedBy(3).dividedBy(2));
        }
    }

    @Test
    void threadsThatNeedASegmentWhileOneIsFetchedWaitForThatFetchAndShareItsFailure() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            established(own);
            RedisClient.Factory factory = RedisClient.LETTUCE.connectWithClientDefaults(own, TIMEOUT);
            closers.add(factory);
            AtomicLong fetches = new AtomicLong();
            StringRedisTemplate counting = new StringRedisTemplate(factory.connectionFactory()) {
                @Override
                public <T> T execute(RedisScript<T> script, List<String> keys, Object... args) {
                    if (script.getScriptAsString().contains("-- next_segment:")) {
                        fetches.incrementAndGet();
                    }
                    return super.execute(script, keys, args);
                }
            };
            RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                    counting,
                    SequenceConfig.builder(name)
                            .step(100)
                            .maxStep(100)
                            .prefetchThreshold(0.1)
                            .build(),
                    Executors.newCachedThreadPool());
            closers.add(sequence);
            drain(sequence, 50);

            own.kill();
            drain(sequence, 50); // the prefetch starts with 10 ids left and waits for the command timeout
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> callUntilFailures(sequence, 1, failures::add, new AtomicLong())));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();

            assertThat(failures).hasSize(8).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(RedisUnavailableException.class));
            assertThat(fetches.get()).isEqualTo(2); // the first segment, then the prefetch that every caller waited for
        }
    }

    /** Calls {@code next()} until it failed {@code count} times; records every failure and the longest call. */
    private static void callUntilFailures(
            SequenceAllocator sequence, int count, Consumer<Throwable> failures, AtomicLong longest) {
        int failed = 0;
        while (failed < count) {
            long started = System.nanoTime();
            try {
                sequence.next();
            } catch (IdAllocatorException e) {
                failures.accept(e);
                failed++;
            } finally {
                long took = System.nanoTime() - started;
                longest.accumulateAndGet(took, Math::max);
            }
        }
    }

    @Test
    void closeCancelsTheBackgroundTaskAndLaterCallsFail() {
        established(server);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        RedisClient.Factory factory = RedisClient.LETTUCE.connectWithClientDefaults(server, TIMEOUT);
        closers.add(factory);
        try {
            RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                    new StringRedisTemplate(factory.connectionFactory()),
                    SequenceConfig.builder(name).build(),
                    Runnable::run,
                    scheduler);
            assertThat(scheduler.getQueue()).isEmpty();
            sequence.next();
            assertThat(scheduler.getQueue()).hasSize(1);

            sequence.close();

            assertThat(scheduler.getQueue()).isEmpty();
            assertThatThrownBy(sequence::next).isInstanceOf(IllegalStateException.class);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aRecoveryPeriodOutOfRangeIsRejectedWithItsValue() {
        assertThatThrownBy(() -> SequenceConfig.builder(name)
                        .recoveryPeriod(Duration.ofMillis(50))
                        .build())
                .isInstanceOf(io.github.idallocator.InvalidArgumentException.class)
                .hasMessageContaining("recoveryPeriod PT0.05S");
        assertThatThrownBy(() -> SequenceConfig.builder(name)
                        .recoveryPeriod(Duration.ofHours(2))
                        .build())
                .isInstanceOf(io.github.idallocator.InvalidArgumentException.class)
                .hasMessageContaining("recoveryPeriod PT2H");
        assertThat(SequenceConfig.builder(name).build().recoveryPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SequenceConfig.builder(name)
                        .recoveryPeriod(Duration.ZERO)
                        .build()
                        .recoveryPeriod())
                .isZero();
    }
}
