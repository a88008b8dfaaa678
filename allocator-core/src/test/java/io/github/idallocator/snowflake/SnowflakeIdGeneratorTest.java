package io.github.idallocator.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The generator's promises, driven by injected wall and monotonic clocks. */
@Tag("no-redis")
class SnowflakeIdGeneratorTest {

    private static final long START = SnowflakeLayout.DEFAULT_EPOCH.toEpochMilli() + 1_000_000;

    private final AtomicLong wall = new AtomicLong(START);
    private final AtomicLong monotonic = new AtomicLong(0);

    private SnowflakeIdGenerator generator() {
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(wall::get)
                .monotonicClock(monotonic::get)
                .clockBackwardsTolerance(Duration.ofMillis(5))
                .build();
        generator.grant(7, 1_000_000_000L, true);
        return generator;
    }

    @Test
    void idsIncreaseAndDecomposeIntoTimeWorkerAndSequence() {
        SnowflakeIdGenerator ids = generator();

        long first = ids.nextId();
        long second = ids.nextId();

        assertThat(second).isGreaterThan(first);
        SnowflakeId parts = ids.decompose(second);
        assertThat(parts.timestamp()).isEqualTo(Instant.ofEpochMilli(START));
        assertThat(parts.workerId()).isEqualTo(7);
        assertThat(parts.sequence()).isEqualTo(1);
    }

    @Test
    void sequenceOverflowWaitsForTheNextTickAndNeverSpillsIntoTheWorkerBits() throws Exception {
        SnowflakeIdGenerator ids = generator();
        long[] tick = ids.nextIds(4096);
        assertThat(ids.decompose(tick[4095]).sequence()).isEqualTo(4095);

        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(ids::nextId);
        Thread.sleep(50);
        assertThat(blocked).isNotDone();
        wall.incrementAndGet();

        SnowflakeId next = ids.decompose(blocked.get(2, TimeUnit.SECONDS));
        assertThat(next.timestamp()).isEqualTo(Instant.ofEpochMilli(START + 1));
        assertThat(next.workerId()).isEqualTo(7);
        assertThat(next.sequence()).isZero();
    }

    @Test
    void aClockStepBackWithinTheToleranceIsWaitedOut() throws Exception {
        SnowflakeIdGenerator ids = generator();
        long before = ids.nextId();
        wall.addAndGet(-3);

        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(ids::nextId);
        Thread.sleep(30);
        assertThat(waiting).isNotDone();
        wall.addAndGet(4);

        assertThat(waiting.get(2, TimeUnit.SECONDS)).isGreaterThan(before);
        assertThat(ids.stats().clockBackwardsWaits()).isPositive();
    }

    @Test
    void aClockStepBackBeyondTheToleranceThrowsAndIsCounted() {
        SnowflakeIdGenerator ids = generator();
        ids.nextId();
        wall.addAndGet(-50);

        assertThatThrownBy(ids::nextId)
                .isInstanceOf(ClockMovedBackwardsException.class)
                .hasMessageContaining("50 ms");
        assertThat(ids.stats().clockBackwardsFailures()).isEqualTo(1);
    }

    @Test
    void noIdIsIssuedWithoutAGrant() {
        SnowflakeIdGenerator ids = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(wall::get)
                .build();

        assertThatThrownBy(ids::nextId).isInstanceOf(WorkerLeaseLostException.class);
    }

    @Test
    void idsStopWhenTheGrantDeadlinePassesAndResumeWithANewGrant() {
        SnowflakeIdGenerator ids = generator();
        long before = ids.nextId();
        monotonic.set(1_000_000_000L);

        assertThatThrownBy(ids::nextId)
                .isInstanceOf(WorkerLeaseLostException.class)
                .hasMessageContaining("worker id 7");
        assertThat(ids.isGranted()).isFalse();
        assertThat(ids.stats().leaseLostRejections()).isEqualTo(1);

        ids.grant(8, 2_000_000_000L, true);
        long after = ids.nextId();
        assertThat(after).isGreaterThan(before);
        assertThat(ids.decompose(after).workerId()).isEqualTo(8);
    }

    @Test
    void issueAfterKeepsEveryIdInALaterTickThanThePredecessorsLast() throws Exception {
        SnowflakeIdGenerator ids = generator();
        ids.issueAfter(START + 2);

        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(ids::nextId);
        Thread.sleep(30);
        wall.addAndGet(3);

        assertThat(ids.decompose(waiting.get(2, TimeUnit.SECONDS)).timestamp())
                .isEqualTo(Instant.ofEpochMilli(START + 3));
    }

    @Test
    void batchesSpanTicksAndStayUniqueAndIncreasing() throws Exception {
        SnowflakeIdGenerator ids = generator();
        CompletableFuture<long[]> batch = CompletableFuture.supplyAsync(() -> ids.nextIds(10_000));
        while (!batch.isDone()) {
            wall.incrementAndGet();
            Thread.sleep(1);
        }

        long[] values = batch.get();
        assertThat(values).hasSize(10_000).isSorted().doesNotHaveDuplicates();
        assertThat(ids.stats().issued()).isEqualTo(10_000);
    }

    @Test
    void threadsNeverShareAnIdOnTheRealClock() throws Exception {
        SnowflakeIdGenerator ids =
                SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
        ids.grant(1, 0, false);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 100_000; i++) {
                    seen.add(ids.nextId());
                }
            }));
        }
        CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(seen).hasSize(400_000);
    }

    @Test
    void aWorkerIdOutsideTheLayoutIsRejected() {
        SnowflakeIdGenerator ids = generator();

        assertThatThrownBy(() -> ids.grant(1024, 0, false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("1024")
                .hasMessageContaining("0 to 1023");
    }

    @Test
    void layoutsThatDoNotFillSixtyThreeBitsAreRejected() {
        assertThatThrownBy(() -> new SnowflakeLayout(41, 10, 10, SnowflakeLayout.DEFAULT_EPOCH, Duration.ofMillis(1)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("41/10/10");
        assertThatThrownBy(() -> new SnowflakeLayout(30, 21, 12, SnowflakeLayout.DEFAULT_EPOCH, Duration.ofMillis(1)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("21 worker bits");
        assertThatThrownBy(() -> new SnowflakeLayout(41, 10, 12, SnowflakeLayout.DEFAULT_EPOCH, Duration.ofNanos(10)))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aClockBackwardsToleranceAboveTenSecondsIsRejectedNamingTheSetting() {
        SnowflakeIdGenerator.Builder builder = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT);
        Duration tooLong = SnowflakeIdGenerator.MAX_CLOCK_BACKWARDS_TOLERANCE.plusMillis(1);

        InvalidArgumentException e =
                catchThrowableOfType(InvalidArgumentException.class, () -> builder.clockBackwardsTolerance(tooLong));

        assertThat(e.setting()).isEqualTo("clockBackwardsTolerance");
        assertThat(e.value()).isEqualTo(tooLong);
        assertThatCode(() -> builder.clockBackwardsTolerance(SnowflakeIdGenerator.MAX_CLOCK_BACKWARDS_TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void aGeneratorIsNotBuiltWhileItsClockIsBeforeTheEpoch() {
        SnowflakeIdGenerator.Builder builder = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(() -> SnowflakeLayout.DEFAULT_EPOCH.toEpochMilli() - 1);

        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, builder::build);

        assertThat(e.setting()).isEqualTo("epoch");
        assertThat(e.problem()).contains("lies in the future");
    }

    @Test
    void theDefaultLayoutRunsOutOfTimeBitsSixtyNineYearsAfterItsEpoch() {
        Instant end = SnowflakeLayout.DEFAULT.exhaustedAt();

        assertThat(end).isEqualTo(SnowflakeLayout.DEFAULT_EPOCH.plusMillis(1L << 41));
        assertThat(end.toString()).startsWith("2093-");
    }

    @Test
    void aCoarserTickCountsTimeInThatUnit() {
        SnowflakeLayout tenMs = new SnowflakeLayout(39, 12, 12, SnowflakeLayout.DEFAULT_EPOCH, Duration.ofMillis(10));
        SnowflakeIdGenerator ids = SnowflakeIdGenerator.builder(tenMs)
                .wallClock(() -> SnowflakeLayout.DEFAULT_EPOCH.toEpochMilli() + 1234)
                .build();
        ids.grant(4095, 0, false);

        SnowflakeId parts = ids.decompose(ids.nextId());

        assertThat(parts.timestamp()).isEqualTo(SnowflakeLayout.DEFAULT_EPOCH.plusMillis(1230));
        assertThat(parts.workerId()).isEqualTo(4095);
        Set<Long> unique = new HashSet<>();
        for (long id : ids.nextIds(4095)) {
            unique.add(id);
        }
        assertThat(unique).hasSize(4095);
    }

    @Test
    void aThreadSuspendedBetweenItsClockReadAndItsDeadlineCheckIssuesNoId() {
        SnowflakeIdGenerator ids = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(() -> {
                    long now = wall.get();
                    monotonic.set(2_000_000_000L);
                    return now;
                })
                .monotonicClock(monotonic::get)
                .build();
        ids.grant(7, 1_000_000_000L, true);

        assertThatThrownBy(ids::nextId).isInstanceOf(WorkerLeaseLostException.class);
        assertThat(ids.lastIssuedMillis()).isEqualTo(-1);
    }

    @Test
    void noIdCarriesATimestampPastTheLatestOneTheGrantAllows() {
        SnowflakeIdGenerator ids = generator();
        ids.grant(7, 1_000_000_000L, START + 10);
        long within = ids.nextId();
        wall.set(START + 11);

        assertThatThrownBy(ids::nextId)
                .isInstanceOf(WorkerLeaseLostException.class)
                .hasMessageContaining("past the latest timestamp");
        assertThatThrownBy(() -> ids.nextIds(3)).isInstanceOf(WorkerLeaseLostException.class);
        assertThat(ids.decompose(within).timestamp()).isEqualTo(Instant.ofEpochMilli(START));
        assertThat(ids.latestGrantedMillis()).isEqualTo(START + 10);
    }

    @Test
    void aGrantRevokedWhileAThreadIsBetweenItsChecksAndItsCompareAndSetIssuesNoId() {
        AtomicLong revokes = new AtomicLong();
        SnowflakeIdGenerator[] holder = new SnowflakeIdGenerator[1];
        SnowflakeIdGenerator ids = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(wall::get)
                .monotonicClock(() -> {
                    if (revokes.getAndIncrement() == 1) {
                        holder[0].revoke();
                    }
                    return monotonic.get();
                })
                .build();
        holder[0] = ids;
        ids.grant(7, 1_000_000_000L, true);
        long issued = ids.nextId();

        assertThatThrownBy(ids::nextId).isInstanceOf(WorkerLeaseLostException.class);
        assertThat(ids.stats().issued()).isEqualTo(1);
        assertThat(ids.lastIssuedMillis())
                .isGreaterThanOrEqualTo(ids.decompose(issued).timestamp().toEpochMilli());
    }

    @Test
    void afterARevokeTheLastIssuedTimestampCoversEveryIdIssuedBefore() {
        SnowflakeIdGenerator ids = generator();
        long[] block = ids.nextIds(4096);

        ids.revoke();

        assertThat(ids.lastIssuedMillis())
                .isGreaterThanOrEqualTo(ids.decompose(block[4095]).timestamp().toEpochMilli());
        assertThat(ids.workerId()).isEqualTo(-1);
    }
}
