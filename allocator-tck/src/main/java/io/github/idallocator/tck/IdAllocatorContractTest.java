package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotCreatorException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import io.github.idallocator.range.Occupancy;
import io.github.idallocator.range.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every range allocator promises, written against {@link IdAllocator} and {@link CreatorElection} only: which ids
 * are handed out, leases and their fencing tokens, notes, batches, expiry measured by the backend's clock, the reuse
 * delay, statistics, and the creator's administrative operations.
 *
 * <p>A backend runs it by extending it and implementing {@link #createOrAttach(IdAllocatorConfig, String)}; the
 * subclass also brings up whatever the backend needs (for Redis: {@code @WithRedisClients}, so every test runs once
 * through Lettuce and once through Jedis). Each test uses a fresh allocator name, so tests may share one backend.
 */
public abstract class IdAllocatorContractTest {

    private static final Duration SHORT = Duration.ofMillis(150);

    private String name;

    /**
     * Creates the allocator {@code config.name()} in the backend, or attaches to it when it exists, as the instance
     * {@code instanceId} (the owner of the leases it hands out). The first instance of an allocator becomes its creator.
     *
     * @param config the allocator's configuration
     * @param instanceId this instance's id
     * @return an allocator on the backend under test
     */
    protected abstract IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId);

    @BeforeEach
    void nameTheAllocator() {
        name = getClass().getSimpleName() + "-" + UUID.randomUUID();
    }

    private IdAllocator allocator(long min, long max) {
        return allocator(min, max, b -> b);
    }

    private IdAllocator allocator(long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        return allocator("instance-a", min, max, custom);
    }

    private IdAllocator allocator(
            String instance, long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        IdAllocatorConfig config = custom.apply(
                        IdAllocatorConfig.builder(name, min, max).reuseDelay(Duration.ZERO))
                .build();
        return createOrAttach(config, instance);
    }

    @Test
    void allocateHandsOutTheLowestFreeIdAsALeaseOfThisInstance() {
        IdAllocator ids = allocator(100, 199);

        Lease lease = ids.allocate();

        assertThat(lease.id()).isEqualTo(100);
        assertThat(lease.lastId()).isEqualTo(100);
        assertThat(lease.owner()).isEqualTo("instance-a");
        assertThat(lease.allocator()).isEqualTo(name);
        assertThat(lease.isHeld()).isTrue();
        assertThat(ids.allocate().id()).isEqualTo(101);
    }

    @Test
    void leaseExpiryIsTheBackendsServerTimePlusTheDefaultTtl() {
        IdAllocator ids = allocator(0, 9, b -> b.defaultTtl(Duration.ofSeconds(30)));

        Lease lease = ids.allocate();

        Instant serverNow = ids.stats().serverTime();
        assertThat(lease.expiresAt()).isBetween(serverNow.plusSeconds(29), serverNow.plusSeconds(30));
        assertThat(lease.remaining()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
    }

    @Test
    void fencingTokensIncreaseStrictlyAcrossAllocations() {
        IdAllocator ids = allocator(0, 99);
        Lease first = ids.allocate();
        ids.free(first);

        Lease second = ids.allocate();
        Lease third = ids.allocateRange(5);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
    }

    @Test
    void batchAllocateHandsOutDistinctIdsEachWithItsOwnLease() {
        IdAllocator ids = allocator(0, 99);

        List<Lease> leases = ids.allocate(10);

        assertThat(leases).extracting(Lease::id).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(leases).extracting(Lease::fencingToken).doesNotHaveDuplicates();
        assertThat(ids.stats().allocated()).isEqualTo(10);
    }

    @Test
    void batchAllocateIsAllOrNothing() {
        IdAllocator ids = allocator(0, 9);
        ids.allocate(8);

        assertThatThrownBy(() -> ids.allocate(3))
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("2 ids free");
        assertThat(ids.stats().allocated()).isEqualTo(8);
    }

    @Test
    void exhaustedRangeThrowsIdsExhaustedNotABackendError() {
        IdAllocator ids = allocator(0, 1);
        ids.allocate();
        ids.allocate();

        assertThatThrownBy(ids::allocate)
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessageContaining("[0, 1]");
    }

    @Test
    void allocateRangeFindsTheFirstRunLongEnoughAcrossHoles() {
        IdAllocator ids = allocator(0, 99);
        List<Lease> leases = ids.allocate(20);
        ids.free(leases.get(2));
        ids.free(leases.get(5));
        ids.free(leases.get(6));
        ids.free(leases.get(10));
        ids.free(leases.get(11));
        ids.free(leases.get(12));

        Lease run = ids.allocateRange(3);
        Lease wider = ids.allocateRange(4);

        assertThat(run.firstId()).isEqualTo(10);
        assertThat(run.lastId()).isEqualTo(12);
        assertThat(wider.firstId()).isEqualTo(20);
        assertThat(wider.count()).isEqualTo(4);
        assertThat(ids.isAllocated(11)).isTrue();
        assertThat(ids.leaseOf(12)).map(Lease::firstId).contains(10L);
    }

    @Test
    void allocateRangeThrowsWhenNoRunIsLongEnough() {
        IdAllocator ids = allocator(0, 9);
        List<Lease> leases = ids.allocate(10);
        for (int i = 0; i < 10; i += 2) {
            ids.free(leases.get(i));
        }

        assertThatThrownBy(() -> ids.allocateRange(2))
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessageContaining("run of 2");
    }

    @Test
    void allocateRangeCrossesBlockBoundaries() {
        IdAllocator ids = allocator(0, 20_000);
        ids.reserveRange(0, 4000);

        Lease run = ids.allocateRange(5000);

        assertThat(run.firstId()).isEqualTo(4001);
        assertThat(run.lastId()).isEqualTo(9000);
        assertThat(ids.allocate().id()).isEqualTo(9001);
    }

    @Test
    void reserveTakesTheGivenIdOnlyWhenItIsFree() {
        IdAllocator ids = allocator(0, 99);

        Optional<Lease> first = ids.reserve(42);
        Optional<Lease> again = ids.reserve(42);

        assertThat(first).map(Lease::id).contains(42L);
        assertThat(again).isEmpty();
        assertThat(ids.isAllocated(42)).isTrue();
        assertThat(ids.allocate().id()).isZero();
    }

    @Test
    void reserveRangeTakesAllIdsOrNone() {
        IdAllocator ids = allocator(0, 99);
        ids.reserve(15);

        assertThat(ids.reserveRange(10, 20)).isEmpty();
        assertThat(ids.isAllocated(10)).isFalse();
        assertThat(ids.reserveRange(16, 30)).map(Lease::count).contains(15L);
        assertThat(ids.stats().allocated()).isEqualTo(16);
    }

    @Test
    void freeMakesTheIdAvailableAgainAndIsHarmlessTwice() {
        IdAllocator ids = allocator(0, 0);
        Lease lease = ids.allocate();

        assertThat(ids.free(lease.id())).isTrue();
        assertThat(ids.free(lease.id())).isFalse();
        assertThat(ids.allocate().id()).isZero();
    }

    @Test
    void anotherInstanceCannotFreeOrExtendALease() {
        IdAllocator a = allocator(0, 9);
        IdAllocator b = allocator("instance-b", 0, 9, c -> c);
        Lease lease = a.allocate();

        assertThatThrownBy(() -> b.free(lease.id()))
                .isInstanceOf(NotOwnerException.class)
                .hasMessageContaining("instance-a");
        assertThatThrownBy(() -> b.extendTtl(lease.id(), Duration.ofMinutes(1))).isInstanceOf(NotOwnerException.class);
        assertThat(a.isAllocated(lease.id())).isTrue();
    }

    @Test
    void aStaleLeaseCannotFreeTheIdHandedOutAgain() {
        IdAllocator ids = allocator(0, 0);
        Lease stale = ids.allocate();
        ids.free(stale);
        Lease current = ids.allocate();

        assertThatThrownBy(() -> ids.free(stale)).isInstanceOf(NotOwnerException.class);
        assertThatThrownBy(() -> ids.extendTtl(stale, Duration.ofMinutes(1))).isInstanceOf(NotOwnerException.class);
        assertThat(ids.leaseOf(0)).map(Lease::fencingToken).contains(current.fencingToken());
    }

    @Test
    void freeOfOneIdRefusesARangeLeaseAndNamesTheRange() {
        IdAllocator ids = allocator(0, 99);
        ids.allocateRange(5);

        assertThatThrownBy(() -> ids.free(0))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("freeRange(0, 4)");
        assertThat(ids.freeRange(0, 4)).isTrue();
        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void freeAllOwnedEndsOnlyThisInstancesLeases() {
        IdAllocator a = allocator(0, 99);
        IdAllocator b = allocator("instance-b", 0, 99, c -> c);
        a.allocate(3);
        a.allocateRange(4);
        Lease others = b.allocate();

        assertThat(a.freeAllOwned()).isEqualTo(4);

        assertThat(a.stats().allocated()).isEqualTo(1);
        assertThat(a.leaseOf(others.id())).map(Lease::owner).contains("instance-b");
    }

    @Test
    void freeingABatchEndsEveryLeaseStillHeld() {
        IdAllocator ids = allocator(0, 99);
        List<Lease> leases = ids.allocate(50);

        assertThat(ids.free(leases)).isEqualTo(50);

        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void aBatchSkipsStaleLeasesAndNeverEndsAnotherHoldersLease() {
        IdAllocator a = allocator(0, 99);
        IdAllocator b = allocator("instance-b", 0, 99, c -> c);
        List<Lease> leases = a.allocate(3);
        a.free(leases.get(0));
        Lease taken = b.allocate();

        assertThat(a.free(leases)).isEqualTo(2);

        assertThat(taken.id()).isEqualTo(leases.get(0).id());
        assertThat(a.leaseOf(taken.id())).map(Lease::owner).contains("instance-b");
        assertThat(a.stats().allocated()).isEqualTo(1);
    }

    @Test
    void aLeaseNamedTwiceInABatchIsEndedOnce() {
        IdAllocator ids = allocator(0, 99);
        Lease lease = ids.allocateRange(5);
        Lease other = ids.allocate();

        assertThat(ids.free(List.of(lease, lease, other))).isEqualTo(2);

        assertThat(ids.stats().allocated()).isZero();
        assertThat(ids.allocateRange(6).id()).isZero();
    }

    @Test
    void anEmptyBatchFreesNothing() {
        IdAllocator ids = allocator(0, 9);
        ids.allocate();

        assertThat(ids.free(List.of())).isZero();

        assertThat(ids.stats().allocated()).isEqualTo(1);
    }

    @Test
    void aBatchWithALeaseOfAnotherAllocatorIsRejectedBeforeAnythingIsFreed() {
        IdAllocator ids = allocator(0, 9);
        Lease own = ids.allocate();
        Lease foreign = new Lease("another-allocator", 1, 1, "instance-a", 1, null, Long.MAX_VALUE);

        assertThatThrownBy(() -> ids.free(List.of(own, foreign)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("another-allocator");
        assertThat(ids.isAllocated(own.id())).isTrue();
    }

    @Test
    void aBatchLargerThanMaxBatchIsRejected() {
        IdAllocator ids = allocator(0, 9);
        Lease lease = ids.allocate();

        assertThatThrownBy(() -> ids.free(Collections.nCopies(IdAllocator.MAX_BATCH + 1, lease)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(Integer.toString(IdAllocator.MAX_BATCH + 1));
        assertThat(ids.isAllocated(lease.id())).isTrue();
    }

    @Test
    void aNoteOutlivesItsLeaseAndReachesTheIdsNextHolder() {
        IdAllocator ids = allocator(0, 0);
        Lease first = ids.allocate(Duration.ofMinutes(1), "set at allocation");
        Lease renewed = ids.extendTtl(first, Duration.ofMinutes(1), "set at renewal");
        ids.free(renewed, "left at free");

        Lease next = ids.allocate(Duration.ofMinutes(1), "next holder");

        assertThat(first.previousNote()).isNull();
        assertThat(next.previousNote()).isEqualTo("left at free");
        ids.free(next, "left again");
        assertThat(ids.reserve(0, Duration.ofMinutes(1), "again"))
                .map(Lease::previousNote)
                .contains("left again");
        ids.free(0);
        assertThat(ids.allocate().previousNote())
                .as("a lease that stores no note reads none")
                .isNull();
    }

    @Test
    void anEmptyOrOverlongNoteIsRejected() {
        IdAllocator ids = allocator(0, 9);

        assertThatThrownBy(() -> ids.allocate(Duration.ofMinutes(1), ""))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("1 to 1024 characters");
        assertThatThrownBy(() -> ids.allocate(Duration.ofMinutes(1), "x".repeat(1025)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("1025 characters");
        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void extendTtlRenewsFromServerTime() {
        IdAllocator ids = allocator(0, 9);
        Lease lease = ids.allocate(Duration.ofSeconds(1));

        Lease renewed = ids.extendTtl(lease, Duration.ofMinutes(10));

        assertThat(renewed.expiresAt()).isAfter(lease.expiresAt().plusSeconds(500));
        assertThat(renewed.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(ids.leaseOf(lease.id()).orElseThrow().expiresAt()).isEqualTo(renewed.expiresAt());
    }

    @Test
    void anExpiredLeaseCannotBeExtended() {
        IdAllocator ids = allocator(0, 9);
        Lease lease = ids.allocate(Duration.ofMillis(50));

        await().atMost(Duration.ofSeconds(2)).until(() -> !ids.isAllocated(lease.id()));

        assertThatThrownBy(() -> ids.extendTtl(lease, Duration.ofMinutes(1)))
                .isInstanceOf(NotOwnerException.class)
                .hasMessageContaining("expired or was freed");
    }

    @Test
    void extendingByAnIdInsideALeaseNamesTheLeaseItLiesIn() {
        IdAllocator ids = allocator(0, 99);
        ids.allocateRange(3);
        Lease range = ids.allocateRange(10);

        assertThatThrownBy(() -> ids.extendTtl(range.firstId() + 2, Duration.ofMinutes(1)))
                .isInstanceOf(NotOwnerException.class)
                .hasMessageContaining("No lease starts at id 5")
                .hasMessageContaining("lies inside the live lease 3..12")
                .hasMessageNotContaining("expired or was freed");
    }

    @Test
    void extendingAnIdThatWasNeverAllocatedSaysSo() {
        IdAllocator ids = allocator(0, 99);
        ids.allocateRange(3);

        assertThatThrownBy(() -> ids.extendTtl(50, Duration.ofMinutes(1)))
                .isInstanceOf(NotOwnerException.class)
                .hasMessageContaining("No live lease holds id 50")
                .hasMessageContaining("never allocated");
    }

    @Test
    void leaseHeldLocallyEndsNoLaterThanOnTheServer() {
        IdAllocator ids = allocator(0, 9);
        Lease lease = ids.allocate(SHORT);

        await().atMost(Duration.ofSeconds(2)).until(() -> !lease.isHeld());

        assertThat(lease.remaining()).isZero();
        Instant serverNow = ids.stats().serverTime();
        assertThat(serverNow).isAfterOrEqualTo(lease.expiresAt().minusMillis(5));
    }

    @Test
    void expiredLeasesAreReclaimedWhenTheRangeRunsOut() {
        IdAllocator ids = allocator(0, 1);
        ids.allocate(SHORT);
        ids.allocate(SHORT);
        assertThatThrownBy(ids::allocate).isInstanceOf(IdsExhaustedException.class);

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ids.stats().expiredLeases() == 2);
        List<Lease> again = ids.allocate(2);

        assertThat(again).extracting(Lease::id).containsExactlyInAnyOrder(0L, 1L);
        assertThat(ids.stats().reclaimedLeases()).isEqualTo(2);
    }

    @Test
    void aLeaseWithoutExpiryIsNeverReclaimed() {
        IdAllocator ids = allocator(0, 9);
        Lease forever = ids.allocate(IdAllocator.NO_EXPIRY);
        ids.allocate(Duration.ofMillis(1));

        await().atMost(Duration.ofSeconds(2)).until(() -> ids.stats().expiredLeases() == 1);
        ids.creatorElection().orElseThrow().heartbeat();

        assertThat(forever.expiresAt()).isNull();
        assertThat(forever.remaining()).isNull();
        assertThat(ids.cleanupExpired()).isEqualTo(1);
        assertThat(ids.isAllocated(forever.id())).isTrue();
    }

    @Test
    void reuseDelayKeepsAFreedIdOutOfCirculationUntilItHasRested() {
        IdAllocator ids = allocator(0, 1, b -> b.reuseDelay(Duration.ofMillis(300)));
        Lease lease = ids.allocate();
        ids.free(lease);

        Lease next = ids.allocate();

        assertThat(next.id()).isEqualTo(1);
        assertThat(ids.stats().resting()).isEqualTo(1);
        assertThatThrownBy(ids::allocate).isInstanceOf(IdsExhaustedException.class);
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(25))
                .ignoreExceptionsInstanceOf(IdsExhaustedException.class)
                .until(() -> ids.allocate().id() == 0);
    }

    @Test
    void expiredIdsRestToo() {
        IdAllocator ids = allocator(0, 0, b -> b.reuseDelay(Duration.ofMillis(300)));
        ids.allocate(Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(1)).until(() -> ids.stats().expiredLeases() == 1);
        assertThatThrownBy(ids::allocate).isInstanceOf(IdsExhaustedException.class);

        assertThat(ids.stats().resting()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2))
                .ignoreExceptionsInstanceOf(IdsExhaustedException.class)
                .until(() -> ids.allocate().id() == 0);
    }

    @Test
    void statsCountLeasesAndAvailableIds() {
        IdAllocator ids = allocator(10, 109);
        ids.allocate(3);
        ids.allocateRange(7);

        AllocatorStats stats = ids.stats();

        assertThat(stats.size()).isEqualTo(100);
        assertThat(stats.allocated()).isEqualTo(10);
        assertThat(stats.available()).isEqualTo(90);
        assertThat(stats.leases()).isEqualTo(4);
        assertThat(stats.utilisation()).isEqualTo(0.1);
        assertThat(stats.leasesExpiringWithinMinute()).isZero();
        assertThat(stats.role()).isEqualTo(Role.CREATOR);
        assertThat(stats.creatorId()).isEqualTo("instance-a");
    }

    @Test
    void statsCountLiveLeasesExpiringWithinTheNextMinute() {
        IdAllocator ids = allocator(0, 99);
        ids.allocate(3, Duration.ofSeconds(30));
        ids.allocate(2, Duration.ofMinutes(5));
        ids.allocate(IdAllocator.NO_EXPIRY);

        assertThat(ids.stats().leasesExpiringWithinMinute()).isEqualTo(3);
    }

    @Test
    void allocatedIdsPagesThroughEveryLeaseWithACursor() {
        IdAllocator ids = allocator(0, 4999);
        ids.allocate(2500);

        Set<Long> seen = new HashSet<>();
        String cursor = LeasePage.START;
        int pages = 0;
        do {
            LeasePage page = ids.allocatedIds(cursor, 100);
            page.leases().forEach(l -> seen.add(l.id()));
            cursor = page.nextCursor();
            pages++;
        } while (!LeasePage.START.equals(cursor));

        assertThat(seen).hasSize(2500);
        assertThat(pages).isGreaterThan(5);
    }

    @Test
    void cleanupByTheCreatorReclaimsEveryExpiredLease() {
        IdAllocator ids = allocator(0, 2999);
        ids.allocate(2500, Duration.ofMillis(10));

        await().atMost(Duration.ofSeconds(2)).until(() -> ids.stats().expiredLeases() == 2500);

        assertThat(ids.cleanupExpired()).isEqualTo(2500);
        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void cleanupAndClearAllAreRefusedOnAConsumer() {
        IdAllocator creator = allocator(0, 9);
        IdAllocator consumer = allocator("instance-b", 0, 9, c -> c);
        creator.allocate();

        assertThat(CreatorElection.roleOf(consumer)).isEqualTo(Role.CONSUMER);
        assertThatThrownBy(consumer::cleanupExpired)
                .isInstanceOf(NotCreatorException.class)
                .hasMessageContaining("instance-a");
        assertThatThrownBy(consumer::clearAll).isInstanceOf(NotCreatorException.class);
        assertThat(creator.stats().allocated()).isEqualTo(1);
    }

    @Test
    void clearAllByTheCreatorDeletesEveryLease() {
        IdAllocator ids = allocator(0, 9);
        ids.allocate(5);

        ids.clearAll();

        assertThat(ids.stats().allocated()).isZero();
        assertThat(ids.allocate().id()).isZero();
    }

    @Test
    void attachingWithAnotherRangeFailsFastNamingBothRanges() {
        allocator(0, 1023);

        assertThatThrownBy(() -> allocator("instance-b", 0, 2047, c -> c))
                .isInstanceOf(ConfigurationMismatchException.class)
                .hasMessageContaining("[0, 1023]")
                .hasMessageContaining("[0, 2047]");
    }

    @Test
    void theLastIdOfTheRangeCanBeReservedAndAllocated() {
        IdAllocator ids = allocator(0, (1 << 20) - 1);

        Optional<Lease> top = ids.reserve((1 << 20) - 1);
        Lease run = ids.allocateRange(1 << 19);

        assertThat(top).isPresent();
        assertThat(run.firstId()).isZero();
        assertThat(ids.reserveRange((1 << 20) - 2, (1 << 20) - 1)).isEmpty();
    }

    @Test
    void idsNearLongMaxValueKeepTheirPrecision() {
        long max = Long.MAX_VALUE;
        IdAllocator ids = allocator(max - 9, max);

        Lease lease = ids.allocate();
        Optional<Lease> last = ids.reserve(max);

        assertThat(lease.id()).isEqualTo(max - 9);
        assertThat(last).map(Lease::id).contains(max);
        assertThat(ids.free(max)).isTrue();
    }

    @Test
    void occupancyOfASmallRangeMarksEachTakenIdInTheCellOfItsOffsetFromMinId() {
        IdAllocator ids = allocator(1000, 1099, b -> b.reuseDelay(Duration.ofMinutes(1)));
        ids.reserve(1003);
        ids.reserveRange(1008, 1015);
        ids.reserve(1099);
        ids.free(ids.reserve(1050).orElseThrow());

        Occupancy picture = ids.occupancy(100);

        int[] expected = new int[100];
        for (int offset : new int[] {3, 8, 9, 10, 11, 12, 13, 14, 15, 50, 99}) {
            expected[offset] = 1;
        }
        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.EXACT_IDS);
        assertThat(picture.minId()).isEqualTo(1000);
        assertThat(picture.maxId()).isEqualTo(1099);
        assertThat(picture.idsPerCell()).isEqualTo(1);
        assertThat(picture.cells()).isEqualTo(100);
        assertThat(picture.takenCells()).containsExactly(expected);
        assertThat(picture.taken(3)).isEqualTo(1);
        assertThat(picture.taken(4)).isZero();
    }

    @Test
    void occupancyListsRestingIdsAsIntervalsOfIds() {
        IdAllocator ids = allocator(500, 599, b -> b.reuseDelay(Duration.ofMinutes(1)));
        Lease run = ids.allocateRange(4);
        Lease single = ids.reserve(590).orElseThrow();
        ids.reserve(520);
        ids.free(single);
        ids.free(run);

        Occupancy picture = ids.occupancy(100);

        assertThat(picture.resting()).containsExactly(new Occupancy.IdRange(500, 503), new Occupancy.IdRange(590, 590));
        assertThat(picture.restingTruncated()).isFalse();
        assertThat(picture.taken(0)).isEqualTo(1);
        assertThat(picture.taken(20)).isEqualTo(1);
        assertThat(picture.taken(90)).isEqualTo(1);
        assertThat(picture.taken(4)).isZero();
    }

    @Test
    void occupancyListsAtMost256RestingIntervalsSortedByFirstIdAndSaysWhenThereAreMore() {
        IdAllocator ids = allocator(0, 999, b -> b.reuseDelay(Duration.ofMinutes(1)));
        ids.free(ids.allocate(300));

        Occupancy picture = ids.occupancy(1000);

        assertThat(picture.resting()).hasSize(Occupancy.MAX_RESTING);
        assertThat(picture.resting())
                .isSortedAccordingTo(java.util.Comparator.comparingLong(Occupancy.IdRange::first))
                .allSatisfy(r -> assertThat(r.first()).isEqualTo(r.last()).isBetween(0L, 299L));
        assertThat(picture.restingTruncated()).isTrue();
        assertThat(ids.occupancy(1000).resting()).isEqualTo(picture.resting());
    }

    @Test
    void occupancyOfAFreshAllocatorHasNothingTakenInAtMostMaxCellsCoveringTheRange() {
        IdAllocator ids = allocator(10, 100_009);

        Occupancy picture = ids.occupancy(7);

        assertThat(picture.cells()).isBetween(1, 7);
        assertThat(picture.takenCells()).containsOnly(0);
        long covered = 0;
        for (int c = 0; c < picture.cells(); c++) {
            covered += picture.idsInCell(c);
        }
        assertThat(covered).isEqualTo(100_000);
        assertThat(picture.resting()).isEmpty();
        assertThat(picture.restingTruncated()).isFalse();
    }

    @Test
    void occupancyIsReadAtTheBackendsServerTime() {
        IdAllocator ids = allocator(0, 9);

        Instant before = ids.stats().serverTime();
        Instant readAt = ids.occupancy(10).readAt();
        Instant after = ids.stats().serverTime();

        assertThat(readAt).isBetween(before, after);
    }
}
