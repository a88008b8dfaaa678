package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.sequence.IdBlock;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.sequence.SequenceRepair;
import io.github.idallocator.sequence.SequenceStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every segment sequence promises, written against {@link SequenceAllocator} only: ids start at the initial value
 * and increase, never repeat across instances and threads, blocks are contiguous, segments are prefetched and grow
 * with demand, waste is bounded, strict mode, the floor, the end of the {@code long} range, and invalid input.
 *
 * <p>A backend runs it by extending it and implementing {@link #createSequence(SequenceConfig)}, {@link
 * #createSequence(SequenceConfig, Executor)} and {@link #storedState(String)}. Each call of a factory hook stands for
 * one more instance (a process of its own) of the sequence. Each test uses a fresh sequence name.
 */
public abstract class SequenceAllocatorContractTest {

    private String name;

    /**
     * A new instance of the sequence {@code config.name()}, prefetching on the backend's default executor.
     *
     * @param config the sequence's configuration
     * @return a sequence on the backend under test
     */
    protected abstract SequenceAllocator createSequence(SequenceConfig config);

    /**
     * A new instance of the sequence {@code config.name()} that prefetches the next segment on {@code prefetchExecutor}.
     *
     * @param config the sequence's configuration
     * @param prefetchExecutor where the next segment is fetched in the background
     * @return a sequence on the backend under test
     */
    protected abstract SequenceAllocator createSequence(SequenceConfig config, Executor prefetchExecutor);

    /**
     * Everything the backend stores for the sequence {@code sequenceName}, read directly from the backend: each record's
     * name mapped to a fingerprint of its content; empty when nothing is stored. See {@link
     * IdAllocatorInvalidInputTest#storedState(String)}.
     *
     * @param sequenceName the sequence's name
     * @return record name to fingerprint
     */
    protected abstract Map<String, String> storedState(String sequenceName);

    @BeforeEach
    void nameTheSequence() {
        name = "seq-" + UUID.randomUUID();
    }

    /**
     * A sequence without recovery period unless the test sets one: these specs are about segments, steps, blocks and
     * the repair of running instances.
     */
    private SequenceAllocator sequence(UnaryOperator<SequenceConfig.Builder> custom) {
        return createSequence(custom.apply(SequenceConfig.builder(name).recoveryPeriod(Duration.ZERO))
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
        SequenceAllocator sequence = sequence(b -> b.initialValue(100).step(10));

        long[] ids = drain(sequence, 25);

        assertThat(ids[0]).isEqualTo(100);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(sequence.stats().handedOut()).isEqualTo(25);
    }

    @Test
    void fourInstancesWithFourThreadsEachNeverShareAnIdAndEachThreadSeesIncreasingIds() throws Exception {
        List<SequenceAllocator> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(sequence(b -> b.step(100).maxStep(2000)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<long[]>> results = new ArrayList<>();
        for (SequenceAllocator instance : instances) {
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
        SequenceAllocator sequence = sequence(b -> b.step(50));

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
        SequenceAllocator sequence = sequence(b -> b.step(50).maxStep(50));

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
        SequenceAllocator sequence = sequence(b -> b.step(100).maxStep(100).prefetchThreshold(0.5));

        drain(sequence, 51);

        await().atMost(Duration.ofSeconds(2)).until(() -> sequence.stats().segmentsFetched() == 2);
        assertThat(sequence.stats().reserved()).isEqualTo(200);
    }

    @Test
    void anExecutorThatRejectsPrefetchesOnlyMakesCallersFetchWhenTheSegmentRunsOut() {
        SequenceAllocator sequence = createSequence(
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
        SequenceAllocator sequence = sequence(b -> b.step(10).maxStep(80));

        drain(sequence, 1_000);

        assertThat(sequence.stats().step()).isEqualTo(80);
    }

    @Test
    void wasteIsBoundedByTheCurrentAndThePrefetchedSegment() {
        SequenceAllocator sequence = sequence(b -> b.step(100).maxStep(800));

        drain(sequence, 50_000);

        SequenceStats stats = sequence.stats();
        assertThat(stats.reserved() - stats.handedOut()).isLessThanOrEqualTo(2L * 800);
        assertThat(stats.step()).isBetween(100, 800);
    }

    @Test
    void strictModeHandsOutIdsIncreasingAcrossInstances() {
        SequenceAllocator a = sequence(b -> b.strict(true));
        SequenceAllocator b = sequence(c -> c.strict(true));

        long[] interleaved = {a.next(), b.next(), a.next(), b.next(), a.next(1).start(), b.next()};

        assertThat(interleaved).isSorted().doesNotHaveDuplicates();
        assertThat(interleaved[5] - interleaved[0]).isEqualTo(5);
    }

    @Test
    void aConfiguredFloorLiftsALowerCounterForNewInstances() {
        SequenceAllocator old = sequence(b -> b.step(10));
        old.next();
        SequenceAllocator fresh = sequence(b -> b.step(10).floor(1_000_000));
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        fresh.addRepairListener(repairs::add);

        assertThat(fresh.next()).isEqualTo(1_000_000);
        assertThat(repairs).singleElement().satisfies(r -> assertThat(r.dataLoss())
                .isFalse());
    }

    @Test
    void idsNearLongMaxValueAreExactAndTheEndIsATypedError() {
        SequenceAllocator sequence =
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
    void invalidCountsAndNamesAreRejectedBeforeTheBackendIsTouched() {
        SequenceAllocator sequence = sequence(b -> b);

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
        assertThat(storedState(name)).as("stored state of the sequence").isEmpty();
    }
}
