package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of Snowflake worker ids ({@link WorkerIdStore}) promises, written against that interface only, so
 * that a {@link io.github.idallocator.snowflake.WorkerIdLease} behaves the same on every backend:
 *
 * <ul>
 *   <li>a worker id is claimed by one instance at a time: concurrent claimers get distinct worker ids, and claims beyond
 *       the range fail with {@link IdsExhaustedException};
 *   <li>a free preferred worker id is the one claimed; {@code claimAnother} claims a different one, or none;
 *   <li>the note left at release, or by the last renewal of a claim that expired, is the next holder's {@link
 *       WorkerClaim#previousNote()}; a release without a note keeps the note the worker id had;
 *   <li>a renewal after the claim expired is refused with {@link NotOwnerException}, whether another instance took the
 *       worker id since or nobody did (the store never revives an expired claim: another instance may have claimed,
 *       used and released the worker id in between);
 *   <li>fencing tokens increase strictly across claims and stay the same across renewals;
 *   <li>a release of a claim that is no longer the caller's returns false and leaves the current holder alone.
 * </ul>
 *
 * <p>A backend runs it by extending it and implementing {@link #createStore(String, long, long, String)}; the subclass
 * also brings up whatever the backend needs (for Redis: {@code @WithRedisClients}, so every test runs once through
 * Lettuce and once through Jedis). A backend whose claims cannot expire within {@value #DEFAULT_SHORT_TTL_MILLIS} ms
 * overrides {@link #shortTtl()}. Each test uses a fresh namespace, so tests may share one backend. Stores that are
 * {@link AutoCloseable} are closed after each test.
 */
public abstract class WorkerIdStoreContractTest {

    /** The default of {@link #shortTtl()}, in milliseconds. */
    protected static final long DEFAULT_SHORT_TTL_MILLIS = 200;

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<WorkerIdStore> stores = new CopyOnWriteArrayList<>();
    private String namespace;

    /**
     * A store of the worker ids {@code [minId, maxId]} under {@code namespace}, as the instance {@code instanceId} (the
     * owner of its claims). Stores created with the same namespace share their claims and notes: they stand for
     * several processes claiming from one backend. Every call of one test passes the same namespace, range and
     * backend; a new namespace starts empty (no claims, no notes) and must not be recovering (its recovery period
     * over or zero), so claims succeed at once.
     *
     * @param namespace the name of the set of worker ids (an allocator name, an etcd key prefix, ...)
     * @param minId the first worker id
     * @param maxId the last worker id, inclusive
     * @param instanceId this instance's id
     * @return a store on the backend under test
     */
    protected abstract WorkerIdStore createStore(String namespace, long minId, long maxId, String instanceId);

    /**
     * The lease time of claims that the tests let expire: as short as the backend honours. Waits in these tests are
     * a few multiples of it.
     */
    protected Duration shortTtl() {
        return Duration.ofMillis(DEFAULT_SHORT_TTL_MILLIS);
    }

    @BeforeEach
    void nameTheNamespace() {
        namespace = "workers-" + UUID.randomUUID();
    }

    @AfterEach
    void closeStores() throws Exception {
        for (WorkerIdStore store : stores) {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private WorkerIdStore store(long minId, long maxId, String instanceId) {
        WorkerIdStore store = createStore(namespace, minId, maxId, instanceId);
        stores.add(store);
        return store;
    }

    @Test
    void sixteenConcurrentClaimersOfEightWorkerIdsGetEightDistinctIdsAndEightExhausted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<@Nullable WorkerClaim>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                String instance = "pod-" + i;
                results.add(pool.submit(() -> {
                    WorkerIdStore store = store(16, 23, instance);
                    go.await();
                    try {
                        return store.claim(-1, LONG, "0 " + instance);
                    } catch (IdsExhaustedException e) {
                        return null;
                    }
                }));
            }
            go.countDown();
            Set<Long> claimed = new HashSet<>();
            int exhausted = 0;
            for (Future<@Nullable WorkerClaim> result : results) {
                WorkerClaim claim = result.get(30, TimeUnit.SECONDS);
                if (claim == null) {
                    exhausted++;
                } else {
                    assertThat(claimed.add(claim.workerId()))
                            .as("worker id %d claimed twice", claim.workerId())
                            .isTrue();
                }
            }

            assertThat(claimed).hasSize(8).allSatisfy(id -> assertThat(id).isBetween(16L, 23L));
            assertThat(exhausted).isEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimWhenEveryWorkerIdIsHeldFailsWithIdsExhausted() {
        store(0, 1, "pod-a").claim(-1, LONG, "0 pod-a");
        store(0, 1, "pod-b").claim(-1, LONG, "0 pod-b");
        WorkerIdStore third = store(0, 1, "pod-c");

        assertThatThrownBy(() -> third.claim(-1, LONG, "0 pod-c")).isInstanceOf(IdsExhaustedException.class);
        assertThatThrownBy(() -> third.claim(1, LONG, "0 pod-c")).isInstanceOf(IdsExhaustedException.class);
    }

    @Test
    void aClaimBelongsToTheClaimingInstanceAndIsHeldUntilItsLocalDeadline() {
        WorkerClaim claim = store(0, 7, "pod-a").claim(-1, LONG, "0 pod-a");
        long after = System.nanoTime();

        assertThat(claim.owner()).isEqualTo("pod-a");
        assertThat(claim.workerId()).isBetween(0L, 7L);
        assertThat(claim.expiresAt()).isNotNull();
        assertThat(claim.isHeld()).isTrue();
        assertThat(claim.localDeadlineNanos() - after)
                .as("the local deadline is measured from before the claim was sent")
                .isLessThanOrEqualTo(LONG.toNanos());
    }

    @Test
    void aFreePreferredWorkerIdIsTheOneClaimed() {
        WorkerClaim claim = store(0, 7, "pod-a").claim(6, LONG, "0 pod-a");

        assertThat(claim.workerId()).isEqualTo(6);
    }

    @Test
    void aReleasedPreferredWorkerIdIsClaimedAgain() {
        WorkerIdStore first = store(0, 7, "pod-a");
        WorkerClaim claim = first.claim(6, LONG, "0 pod-a");
        assertThat(first.release(claim, "1 pod-a")).isTrue();

        WorkerClaim again = store(0, 7, "pod-a").claim(6, LONG, "2 pod-a");

        assertThat(again.workerId()).isEqualTo(6);
    }

    @Test
    void aPreferredWorkerIdHeldByAnotherInstanceGivesAnotherFreeWorkerId() {
        store(0, 7, "pod-a").claim(6, LONG, "0 pod-a");

        WorkerClaim claim = store(0, 7, "pod-b").claim(6, LONG, "0 pod-b");

        assertThat(claim.workerId()).isNotEqualTo(6).isBetween(0L, 7L);
    }

    @Test
    void theFirstClaimOfAWorkerIdHasNoPreviousNote() {
        WorkerClaim claim = store(0, 7, "pod-a").claim(3, LONG, "0 pod-a");

        assertThat(claim.previousNote()).isNull();
    }

    @Test
    void theNoteGivenAtReleaseIsTheNextHoldersPreviousNote() {
        WorkerIdStore first = store(0, 7, "pod-a");
        WorkerClaim claim = first.claim(3, LONG, "100 pod-a");
        first.release(claim, "12345 pod-a");

        WorkerClaim next = store(0, 7, "pod-b").claim(3, LONG, "200 pod-b");

        assertThat(next.workerId()).isEqualTo(3);
        assertThat(next.previousNote()).isEqualTo("12345 pod-a");
    }

    @Test
    void aReleaseWithoutANoteKeepsTheNoteTheWorkerIdHad() {
        WorkerIdStore first = store(0, 7, "pod-a");
        WorkerClaim claim = first.claim(3, LONG, "100 pod-a");
        first.release(claim, null);

        WorkerClaim next = store(0, 7, "pod-b").claim(3, LONG, "200 pod-b");

        assertThat(next.previousNote()).isEqualTo("100 pod-a");
    }

    @Test
    void theNoteOfTheLastRenewalIsTheNextHoldersPreviousNoteWhenTheClaimExpired() {
        WorkerIdStore first = store(0, 0, "pod-a");
        WorkerClaim claim = first.claim(0, shortTtl(), "100 pod-a");
        first.renew(claim, shortTtl(), "777 pod-a");

        WorkerClaim next = claimOnceExpired(store(0, 0, "pod-b"));

        assertThat(next.previousNote()).isEqualTo("777 pod-a");
    }

    @Test
    void aRenewalAfterTheClaimExpiredAndWasTakenByAnotherInstanceIsRefused() {
        WorkerIdStore first = store(0, 0, "pod-a");
        WorkerClaim claim = first.claim(0, shortTtl(), "100 pod-a");
        claimOnceExpired(store(0, 0, "pod-b"));

        assertThatThrownBy(() -> first.renew(claim, LONG, "200 pod-a")).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void aRenewalAfterTheClaimExpiredIsRefusedEvenWhenNobodyTookTheWorkerId() {
        WorkerIdStore first = store(0, 0, "pod-a");
        WorkerClaim claim = first.claim(0, shortTtl(), "100 pod-a");
        long expiredBy = claim.localDeadlineNanos() + shortTtl().toNanos();
        await().atMost(shortTtl().multipliedBy(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> System.nanoTime() - expiredBy > 0);

        assertThatThrownBy(() -> first.renew(claim, LONG, "200 pod-a")).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void aRenewalKeepsTheWorkerIdAndTokenAndMovesTheLocalDeadline() {
        WorkerIdStore store = store(0, 7, "pod-a");
        WorkerClaim claim = store.claim(-1, shortTtl(), "100 pod-a");

        WorkerClaim renewed = store.renew(claim, LONG, "200 pod-a");

        assertThat(renewed.workerId()).isEqualTo(claim.workerId());
        assertThat(renewed.fencingToken()).isEqualTo(claim.fencingToken());
        assertThat(renewed.localDeadlineNanos()).isGreaterThan(claim.localDeadlineNanos());
        assertThat(renewed.isHeld()).isTrue();
    }

    @Test
    void fencingTokensIncreaseStrictlyAcrossReClaims() {
        WorkerIdStore a = store(0, 7, "pod-a");
        WorkerIdStore b = store(0, 7, "pod-b");
        List<Long> tokens = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            WorkerClaim byA = a.claim(2, LONG, "1 pod-a");
            tokens.add(byA.fencingToken());
            a.release(byA, "2 pod-a");
            WorkerClaim byB = b.claim(2, LONG, "3 pod-b");
            tokens.add(byB.fencingToken());
            WorkerClaim other = b.claim(5, LONG, "4 pod-b");
            tokens.add(other.fencingToken());
            b.release(byB, "5 pod-b");
            b.release(other, "6 pod-b");
        }

        for (int i = 1; i < tokens.size(); i++) {
            assertThat(tokens.get(i)).as("token %d of %s", i, tokens).isGreaterThan(tokens.get(i - 1));
        }
    }

    @Test
    void aReleaseOfAClaimThatAnotherInstanceTookOverReturnsFalseAndLeavesItsHolderAlone() {
        WorkerIdStore first = store(0, 0, "pod-a");
        WorkerClaim stale = first.claim(0, shortTtl(), "100 pod-a");
        WorkerIdStore second = store(0, 0, "pod-b");
        WorkerClaim current = claimOnceExpired(second);

        assertThat(first.release(stale, "999 pod-a")).isFalse();

        assertThat(second.renew(current, LONG, "300 pod-b").workerId()).isZero();
        assertThatThrownBy(() -> store(0, 0, "pod-c").claim(0, LONG, "0 pod-c"))
                .isInstanceOf(IdsExhaustedException.class);
    }

    @Test
    void aSecondReleaseOfTheSameClaimReturnsFalse() {
        WorkerIdStore store = store(0, 7, "pod-a");
        WorkerClaim claim = store.claim(-1, LONG, "100 pod-a");
        assertThat(store.release(claim, "200 pod-a")).isTrue();

        assertThat(store.release(claim, "300 pod-a")).isFalse();
    }

    @Test
    void claimAnotherClaimsADifferentWorkerIdOrNoneWhenEveryOneIsHeld() {
        WorkerIdStore store = store(0, 1, "pod-a");
        WorkerClaim claim = store.claim(-1, LONG, "100 pod-a");

        WorkerClaim other = store.claimAnother(LONG, "100 pod-a");

        assertThat(other).isNotNull();
        assertThat(other.workerId()).isNotEqualTo(claim.workerId()).isBetween(0L, 1L);
        assertThat(store.claimAnother(LONG, "100 pod-a")).isNull();
    }

    /** Claims worker id 0 of a range [0, 0] as soon as the store has expired its current claim, polling. */
    private WorkerClaim claimOnceExpired(WorkerIdStore store) {
        return await().atMost(shortTtl().multipliedBy(10).plusSeconds(2))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> tryClaim(store), claim -> claim != null);
    }

    private static @Nullable WorkerClaim tryClaim(WorkerIdStore store) {
        try {
            return store.claim(0, LONG, "0 " + store.instanceId());
        } catch (IdsExhaustedException e) {
            return null;
        }
    }
}
