package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import io.lettuce.core.ClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** What a segment sequence promises, against a real Redis. */
@WithRedisServer
class RedisSequenceAllocatorTest {

    private RedisServerProcess server;
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private String name;

    @BeforeEach
    void setUp(RedisServerProcess server) {
        this.server = server;
        this.name = "seq-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        factories.forEach(LettuceConnectionFactory::destroy);
    }

    private LettuceConnectionFactory connect(RedisServerProcess to) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(to.host(), to.port()),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofSeconds(2))
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                .build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        return factory;
    }

    private RedisSequenceAllocator sequence(UnaryOperator<SequenceConfig.Builder> custom) {
        return sequence(server, custom);
    }

    /**
     * A sequence without recovery period unless the test sets one: these specs are about segments, steps, blocks and
     * the repair of running instances (see {@link SequenceRecoveryTest} for the recovery period and the lease).
     */
    private RedisSequenceAllocator sequence(RedisServerProcess to, UnaryOperator<SequenceConfig.Builder> custom) {
        return RedisSequenceAllocator.create(
                connect(to),
                custom.apply(SequenceConfig.builder(name).recoveryPeriod(Duration.ZERO))
                        .build());
    }

    private static long[] drain(SequenceAllocator sequence, int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sequence.next();
        }
        return ids;
    }

    @Test
    void idsStartAtTheInitialValueAndIncrease() {
        RedisSequenceAllocator sequence = sequence(b -> b.initialValue(100).step(10));

        long[] ids = drain(sequence, 25);

        assertThat(ids[0]).isEqualTo(100);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(sequence.stats().handedOut()).isEqualTo(25);
    }

    @Test
    void fourInstancesWithFourThreadsEachNeverShareAnIdAndEachThreadSeesIncreasingIds() throws Exception {
        List<RedisSequenceAllocator> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(sequence(b -> b.step(100).maxStep(2000)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<long[]>> results = new ArrayList<>();
        for (RedisSequenceAllocator instance : instances) {
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> drain(instance, 20_000)));
            }
        }
        long[] all = new long[16 * 20_000];
        int at = 0;
        for (Future<long[]> result : results) {
            long[] ids = result.get(60, TimeUnit.SECONDS);
            assertThat(ids).isSorted();
            System.arraycopy(ids, 0, all, at, ids.length);
            at += ids.length;
        }
        pool.shutdown();

        assertThat(all).doesNotHaveDuplicates();
    }

    @Test
    void blocksAreContiguousAndNeverOverlapSingleIds() {
        RedisSequenceAllocator sequence = sequence(b -> b.step(50));

        long single = sequence.next();
        IdBlock small = sequence.next(30);
        IdBlock crossing = sequence.next(30);
        IdBlock large = sequence.next(500);

        assertThat(small.count()).isEqualTo(30);
        assertThat(small.start()).isGreaterThan(single);
        assertThat(crossing.start()).isGreaterThan(small.end());
        assertThat(large.count()).isEqualTo(500);
        assertThat(large.start()).isGreaterThan(crossing.end());
    }

    @Test
    void statsCountIdsHandedOutExactlyEvenWhenABlockSkipsASegmentsRemainder() {
        RedisSequenceAllocator sequence = sequence(b -> b.step(50).maxStep(50));

        drain(sequence, 40);
        IdBlock skipping = sequence.next(20);
        long last = sequence.next();

        SequenceStats stats = sequence.stats();
        assertThat(stats.handedOut()).isEqualTo(61);
        assertThat(stats.lastHandedOut()).isEqualTo(last);
        assertThat(skipping.start()).isEqualTo(51);
    }

    @Test
    void theNextSegmentIsFetchedInTheBackgroundBeforeTheCurrentOneRunsOut() {
        RedisSequenceAllocator sequence = sequence(b -> b.step(100).maxStep(100).prefetchThreshold(0.5));

        drain(sequence, 51);

        await().atMost(Duration.ofSeconds(2)).until(() -> sequence.stats().segmentsFetched() == 2);
        assertThat(sequence.stats().reserved()).isEqualTo(200);
    }

    @Test
    void anExecutorThatRejectsPrefetchesOnlyMakesCallersFetchWhenTheSegmentRunsOut() {
        RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                new StringRedisTemplate(connect(server)),
                SequenceConfig.builder(name)
                        .step(10)
                        .maxStep(10)
                        .recoveryPeriod(Duration.ZERO)
                        .build(),
                task -> {
                    throw new RejectedExecutionException("shut down");
                });

        long[] ids = drain(sequence, 35);

        assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize(35);
        assertThat(sequence.stats().segmentsFetched()).isEqualTo(4);
    }

    @Test
    void segmentsUsedUpWithinASecondDoubleTheStepUpToMaxStep() {
        RedisSequenceAllocator sequence = sequence(b -> b.step(10).maxStep(80));

        drain(sequence, 1_000);

        assertThat(sequence.stats().step()).isEqualTo(80);
    }

    @Test
    void wasteIsBoundedByTheCurrentAndThePrefetchedSegment() {
        RedisSequenceAllocator sequence = sequence(b -> b.step(100).maxStep(800));

        drain(sequence, 50_000);

        SequenceStats stats = sequence.stats();
        assertThat(stats.reserved() - stats.handedOut()).isLessThanOrEqualTo(2L * 800);
        assertThat(stats.step()).isBetween(100, 800);
    }

    @Test
    void strictModeHandsOutIdsIncreasingAcrossInstances() {
        RedisSequenceAllocator a = sequence(b -> b.strict(true));
        RedisSequenceAllocator b = sequence(c -> c.strict(true));

        long[] interleaved = {a.next(), b.next(), a.next(), b.next(), a.next(1).start(), b.next()};

        assertThat(interleaved).isSorted().doesNotHaveDuplicates();
        assertThat(interleaved[5] - interleaved[0]).isEqualTo(5);
    }

    @Test
    void aFlushedCounterIsRefusedMovedForwardAndReportedWithoutRepeatingAnId() {
        RedisSequenceAllocator a = sequence(b -> b.step(100).maxStep(100));
        RedisSequenceAllocator b = sequence(c -> c.step(100).maxStep(100));
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        a.addRepairListener(repairs::add);
        long[] before = concat(drain(a, 250), drain(b, 250));

        server.command("DEL", "idalloc:{" + name + "}:sequence");
        long[] after = concat(drain(a, 250), drain(b, 250));

        assertThat(concat(before, after)).doesNotHaveDuplicates();
        assertThat(repairs).singleElement().satisfies(r -> assertThat(r.dataLoss())
                .isTrue());
        assertThat(a.stats().repairs()).isEqualTo(1);
    }

    @Test
    void aRestartedRedisWithoutPersistenceNeverMakesAnIdRepeat() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisSequenceAllocator a = sequence(own, b -> b.step(100).maxStep(100));
            RedisSequenceAllocator b = sequence(own, c -> c.step(100).maxStep(100));
            long[] before = concat(drain(a, 300), drain(b, 300));

            own.kill();
            own.restart();
            long[] after = await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(RedisUnavailableException.class)
                    .until(() -> concat(drain(a, 300), drain(b, 300)), ids -> true);

            assertThat(concat(before, after)).doesNotHaveDuplicates();
        }
    }

    @Test
    void callersAreServedFromTheCurrentSegmentWhileRedisIsDownThenGetATypedErrorThenRecover() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisSequenceAllocator sequence =
                    sequence(own, b -> b.step(100).maxStep(100).prefetchThreshold(0.3));
            long[] first = drain(sequence, 40);

            own.kill();
            long[] rest = drain(sequence, 60);
            assertThatThrownBy(sequence::next)
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining(name);
            own.restart();

            long resumed = await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(RedisUnavailableException.class)
                    .until(sequence::next, id -> true);
            assertThat(concat(first, rest)).isSorted().doesNotHaveDuplicates();
            assertThat(resumed).isGreaterThan(rest[rest.length - 1]);
        }
    }

    @Test
    void aConfiguredFloorLiftsALowerCounterForNewInstances() {
        RedisSequenceAllocator old = sequence(b -> b.step(10));
        old.next();
        RedisSequenceAllocator fresh = sequence(b -> b.step(10).floor(1_000_000));
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        fresh.addRepairListener(repairs::add);

        assertThat(fresh.next()).isEqualTo(1_000_000);
        assertThat(repairs).singleElement().satisfies(r -> assertThat(r.dataLoss())
                .isFalse());
    }

    @Test
    void idsNearLongMaxValueAreExactAndTheEndIsATypedError() {
        RedisSequenceAllocator sequence =
                sequence(b -> b.initialValue(Long.MAX_VALUE - 5).step(4));

        long[] ids = drain(sequence, 6);

        assertThat(ids)
                .containsExactly(
                        Long.MAX_VALUE - 5,
                        Long.MAX_VALUE - 4,
                        Long.MAX_VALUE - 3,
                        Long.MAX_VALUE - 2,
                        Long.MAX_VALUE - 1,
                        Long.MAX_VALUE);
        assertThatThrownBy(sequence::next)
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessageContaining("2^63 - 1");
    }

    @Test
    void invalidCountsAndNamesAreRejectedBeforeRedisIsTouched() {
        RedisSequenceAllocator sequence = sequence(b -> b);

        assertThatThrownBy(() -> sequence.next(0))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("count 0");
        assertThatThrownBy(() -> sequence.next(RedisSequenceAllocator.MAX_STEP + 1))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> SequenceConfig.builder("bad{name}").build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("bad{name}");
        assertThatThrownBy(() -> SequenceConfig.builder(name).step(0).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("step 0");
        assertThatThrownBy(() ->
                        SequenceConfig.builder(name).prefetchThreshold(1.0).build())
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(server.command("EXISTS", "idalloc:{" + name + "}:sequence")).isEqualTo(0L);
    }

    @Test
    void aKeyOfAnotherTypeIsReportedAndLeftUntouched() {
        server.command("SET", "idalloc:{" + name + "}:sequence", "42");
        RedisSequenceAllocator sequence = sequence(b -> b);

        assertThatThrownBy(sequence::next).isInstanceOf(KeyConflictException.class);
        assertThat(server.command("GET", "idalloc:{" + name + "}:sequence")).isEqualTo("42");
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
