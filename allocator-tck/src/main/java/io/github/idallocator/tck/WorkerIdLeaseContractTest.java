package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerIdUnavailableException;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Snowflake worker-id lease promises on any backend, through the public API of {@link WorkerIdLease} and {@link
 * SnowflakeIdGenerator} over an {@link IdAllocator} of worker ids: distinct worker ids for concurrent claimers and no
 * duplicate id, exhaustion, self-fencing without renewal, re-acquisition, the note that hands the last timestamp to the
 * next holder, renewal refused once another holder has the worker id, and increasing fencing tokens.
 *
 * <p>A backend runs it by extending it and implementing {@link #createOrAttach(IdAllocatorConfig, String)}: the worker
 * ids are leased from the allocator it returns. Each test uses a fresh allocator name.
 */
public abstract class WorkerIdLeaseContractTest {

    private static final WorkerLeaseSettings FAST = new WorkerLeaseSettings(
            Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(300));

    private static final int IDS_PER_THREAD = 250_000;

    private String name;
    private final List<WorkerIdLease> leases = new ArrayList<>();

    /**
     * Creates the allocator of worker ids {@code config.name()} in the backend, or attaches to it when it exists, as
     * the instance {@code instanceId} (one per process that generates ids); see {@link
     * IdAllocatorContractTest#createOrAttach(IdAllocatorConfig, String)}.
     *
     * @param config the worker-id allocator's configuration
     * @param instanceId this instance's id
     * @return an allocator on the backend under test
     */
    protected abstract IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId);

    @BeforeEach
    void nameTheAllocator() {
        name = "workers-" + UUID.randomUUID();
    }

    @AfterEach
    void closeLeases() {
        leases.forEach(WorkerIdLease::close);
    }

    private IdAllocator workers(String instance) {
        return createOrAttach(
                IdAllocatorConfig.builder(name, 0, 1023)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                instance);
    }

    private SnowflakeIdGenerator generator() {
        return SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
    }

    private WorkerIdLease lease(IdAllocator workers, SnowflakeIdGenerator generator, WorkerLeaseSettings settings) {
        WorkerIdLease lease = new WorkerIdLease(workers, generator, settings, System::currentTimeMillis);
        leases.add(lease);
        return lease;
    }

    @Test
    void sixtyFourGeneratorsStartingTogetherGetDistinctWorkerIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String instance = "pod-" + i;
            ids.add(pool.submit(() -> {
                WorkerIdLease lease = lease(workers(instance), generator(), WorkerLeaseSettings.DEFAULT);
                go.await();
                lease.acquire();
                return lease.workerId();
            }));
        }
        go.countDown();

        Set<Long> distinct = ConcurrentHashMap.newKeySet();
        for (Future<Long> id : ids) {
            distinct.add(id.get(20, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(distinct).hasSize(64).allSatisfy(id -> assertThat(id).isBetween(0L, 63L));
    }

    @Test
    void fourGeneratorsOnFourThreadsEachNeverIssueTheSameId() throws Exception {
        List<SnowflakeIdGenerator> generators = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            SnowflakeIdGenerator generator = generator();
            lease(workers("pod-" + g), generator, WorkerLeaseSettings.DEFAULT).acquire();
            generators.add(generator);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<long[]>> batches = new ArrayList<>();
        for (SnowflakeIdGenerator generator : generators) {
            for (int t = 0; t < 4; t++) {
                batches.add(pool.submit(() -> {
                    long[] ids = new long[IDS_PER_THREAD];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = generator.nextId();
                    }
                    return ids;
                }));
            }
        }
        long total = 0;
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> batch : batches) {
            long[] ids = batch.get(30, TimeUnit.SECONDS);
            all.add(ids);
            total += ids.length;
        }
        pool.shutdown();
        long[] merged = new long[Math.toIntExact(total)];
        int at = 0;
        for (long[] ids : all) {
            System.arraycopy(ids, 0, merged, at, ids.length);
            at += ids.length;
        }
        Arrays.parallelSort(merged);

        for (int i = 1; i < merged.length; i++) {
            assertThat(merged[i]).as("id at %d of %d", i, merged.length).isNotEqualTo(merged[i - 1]);
        }
        assertThat(merged).hasSize(16 * IDS_PER_THREAD);
    }

    @Test
    void withoutRenewalTheGeneratorStopsBeforeTheBackendCouldHandTheWorkerIdToAnotherProcess() {
        IdAllocator workers = workers("pod-a");
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, FAST);
        lease.acquire();
        WorkerClaim held = lease.claim();
        generator.nextId();

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> !generator.isGranted());

        assertThatThrownBy(generator::nextId).isInstanceOf(WorkerLeaseLostException.class);
        Instant serverNow = workers.stats().serverTime();
        assertThat(serverNow).isBefore(held.expiresAt());
        assertThat(workers.isAllocated(held.workerId())).isTrue();
    }

    @Test
    void aLostLeaseRecoversAtTheNextRenewalAndPublishesEvents() {
        IdAllocator workers = workers("pod-a");
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, FAST);
        List<WorkerLeaseEvent> events = new CopyOnWriteArrayList<>();
        lease.addListener(events::add);
        lease.acquire();
        long worker = lease.workerId();
        workers.forceFree(worker);

        lease.renew();

        assertThat(events)
                .extracting(WorkerLeaseEvent::type)
                .containsExactly(
                        WorkerLeaseEvent.Type.ACQUIRED, WorkerLeaseEvent.Type.LOST, WorkerLeaseEvent.Type.ACQUIRED);
        assertThat(lease.workerId()).isEqualTo(worker);
        assertThat(generator.decompose(generator.nextId()).workerId()).isEqualTo(worker);
    }

    @Test
    void renewalKeepsTheGeneratorGrantedPastTheFirstTtl() throws Exception {
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers("pod-a"), generator, FAST);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            lease.start(scheduler);
            Thread.sleep(FAST.ttl().toMillis() * 2);

            assertThat(generator.isGranted()).isTrue();
            assertThat(generator.nextId()).isPositive();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aNewHolderWaitsUntilItsClockPassesThePredecessorsLastTimestamp() {
        IdAllocator workers = workers("pod-b");
        long predecessorAhead = System.currentTimeMillis() + 150;
        Lease previous = workers.allocate(Duration.ofMinutes(1), "x");
        workers.free(previous, predecessorAhead + " pod-a");
        SnowflakeIdGenerator generator = generator();

        lease(workers, generator, FAST).acquire();

        assertThat(System.currentTimeMillis()).isGreaterThan(predecessorAhead);
        long first = generator.decompose(generator.nextId()).timestamp().toEpochMilli();
        assertThat(first).isGreaterThan(predecessorAhead);
    }

    @Test
    void aPredecessorTooFarAheadMakesTheNewHolderTakeAnotherWorkerId() {
        IdAllocator workers = workers("pod-b");
        Lease previous = workers.allocate(Duration.ofMinutes(1), "x");
        long farAhead = System.currentTimeMillis() + 60_000;
        workers.free(previous, farAhead + " pod-a");
        SnowflakeIdGenerator generator = generator();

        WorkerIdLease lease = lease(workers, generator, FAST);
        lease.acquire();

        assertThat(lease.workerId()).isNotEqualTo(previous.id());
        assertThat(workers.reserve(previous.id(), Duration.ofSeconds(1), "y"))
                .map(Lease::previousNote)
                .contains(farAhead + " pod-a");
    }

    @Test
    void closeReleasesTheWorkerIdWithTheLastIssuedTimestampForTheNextHolder() {
        IdAllocator workers = workers("pod-a");
        AtomicLong clock = new AtomicLong(System.currentTimeMillis() + 100);
        SnowflakeIdGenerator first = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(clock::get)
                .build();
        WorkerIdLease firstLease = new WorkerIdLease(workers, first, FAST, clock::get);
        firstLease.acquire();
        long worker = firstLease.workerId();
        long lastOfFirst = first.nextId();

        firstLease.close();

        assertThat(workers.isAllocated(worker)).isFalse();
        assertThatThrownBy(first::nextId).isInstanceOf(WorkerLeaseLostException.class);
        SnowflakeIdGenerator second = generator();
        WorkerIdLease secondLease = lease(workers("pod-b"), second, FAST);
        secondLease.acquire();
        assertThat(secondLease.workerId()).isEqualTo(worker);
        assertThat(second.nextId()).isGreaterThan(lastOfFirst);
    }

    @Test
    void aWorkerRangeWiderThanTheLayoutIsRejected() {
        IdAllocator wide =
                createOrAttach(IdAllocatorConfig.builder(name, 0, 4095).build(), "pod-a");

        assertThatThrownBy(() -> new WorkerIdLease(wide, generator(), FAST, System::currentTimeMillis))
                .hasMessageContaining("[0, 4095]")
                .hasMessageContaining("1023");
    }

    @Test
    void theRenewalNoteIsNeverBelowATimestampAlreadyIssuedWhenTheClockSteppedBack() {
        IdAllocator workers = workers("pod-a");
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(clock::get)
                .clockBackwardsTolerance(Duration.ofSeconds(10))
                .build();
        WorkerIdLease lease = new WorkerIdLease(workers, generator, FAST, clock::get);
        leases.add(lease);
        lease.acquire();
        clock.addAndGet(10_000);
        lease.renew();
        long aheadId = generator.nextId();
        long aheadMillis = generator.decompose(aheadId).timestamp().toEpochMilli();
        clock.addAndGet(-10_000);

        lease.renew();

        Lease taken = takeOverAfterExpiry(workers, lease);
        assertThat(Long.parseLong(taken.previousNote().split(" ")[0])).isGreaterThanOrEqualTo(aheadMillis);
    }

    @Test
    void theAcquireNoteCoversTheGrantSoAHolderThatDiesAtOnceLeavesATrueBound() {
        IdAllocator workers = workers("pod-a");
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, FAST);
        lease.acquire();
        long latest = generator.latestGrantedMillis();

        Lease taken = takeOverAfterExpiry(workers, lease);

        assertThat(Long.parseLong(taken.previousNote().split(" ")[0])).isEqualTo(latest);
    }

    @Test
    void aPredecessorTooFarAheadWithNoOtherWorkerIdFreeIsATypedRetryableFailure() {
        IdAllocator single = createOrAttach(
                IdAllocatorConfig.builder(name, 0, 0).reuseDelay(Duration.ZERO).build(), "pod-b");
        Lease previous = single.allocate(Duration.ofMinutes(1), "x");
        single.free(previous, (System.currentTimeMillis() + 60_000) + " pod-a");

        WorkerIdLease lease = lease(single, generator(), FAST);

        assertThatThrownBy(lease::acquire)
                .isInstanceOfSatisfying(WorkerIdUnavailableException.class, e -> assertThat(e.isRetryable())
                        .isTrue())
                .hasMessageContaining("NTP");
    }

    @Test
    void aHandoverWaitLongerThanTheLeaseKeepsTheLeaseRenewedAndTheGrantValid() {
        WorkerLeaseSettings longWait = new WorkerLeaseSettings(
                Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(3));
        IdAllocator workers = createOrAttach(
                IdAllocatorConfig.builder(name, 0, 0).reuseDelay(Duration.ZERO).build(), "pod-b");
        long predecessorAhead = System.currentTimeMillis() + 1500;
        workers.free(workers.allocate(Duration.ofMinutes(1), "x"), predecessorAhead + " pod-a");
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, longWait);

        lease.acquire();

        assertThat(lease.claim().isHeld()).isTrue();
        assertThat(generator.isGranted()).isTrue();
        long first = generator.decompose(generator.nextId()).timestamp().toEpochMilli();
        assertThat(first).isGreaterThan(predecessorAhead);
        assertThat(generator.latestGrantedMillis()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void whenEveryWorkerIdIsLeasedAcquireFailsWithIdsExhaustedNamingTheRange() {
        IdAllocatorConfig two =
                IdAllocatorConfig.builder(name, 0, 1).reuseDelay(Duration.ZERO).build();
        lease(createOrAttach(two, "pod-a"), generator(), WorkerLeaseSettings.DEFAULT)
                .acquire();
        lease(createOrAttach(two, "pod-b"), generator(), WorkerLeaseSettings.DEFAULT)
                .acquire();
        SnowflakeIdGenerator third = generator();
        WorkerIdLease lease = lease(createOrAttach(two, "pod-c"), third, WorkerLeaseSettings.DEFAULT);

        assertThatThrownBy(lease::acquire)
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessageContaining("No Snowflake worker id is free")
                .hasMessageContaining("[0, 1]");
        assertThat(lease.workerId()).isEqualTo(-1);
        assertThat(third.isGranted()).isFalse();
    }

    @Test
    void aRenewalAfterTheWorkerIdWentToAnotherHolderIsRefusedAndTheLeaseMovesToAFreeWorkerId() {
        IdAllocator workers = workers("pod-a");
        SnowflakeIdGenerator generator = generator();
        WorkerIdLease lease = lease(workers, generator, FAST);
        List<WorkerLeaseEvent> events = new CopyOnWriteArrayList<>();
        lease.addListener(events::add);
        lease.acquire();
        long lost = lease.workerId();
        IdAllocator successor = workers("pod-successor");
        await().atMost(FAST.ttl().multipliedBy(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> successor
                        .reserve(lost, Duration.ofMinutes(1), "successor")
                        .isPresent());

        lease.renew();

        assertThat(events)
                .extracting(WorkerLeaseEvent::type)
                .containsExactly(
                        WorkerLeaseEvent.Type.ACQUIRED, WorkerLeaseEvent.Type.LOST, WorkerLeaseEvent.Type.ACQUIRED);
        assertThat(lease.workerId()).isNotEqualTo(lost).isNotNegative();
        assertThat(generator.decompose(generator.nextId()).workerId()).isEqualTo(lease.workerId());
        assertThat(workers.leaseOf(lost)).map(Lease::owner).contains("pod-successor");
    }

    @Test
    void eachNewHolderOfAWorkerIdHoldsItUnderAHigherFencingTokenWhileRenewalsKeepTheToken() {
        WorkerIdLease first = lease(workers("pod-a"), generator(), FAST);
        first.acquire();
        long worker = first.workerId();
        long token = first.claim().fencingToken();
        first.renew();
        assertThat(first.claim().fencingToken()).isEqualTo(token);
        first.close();

        WorkerIdLease second = lease(workers("pod-b"), generator(), FAST);
        second.acquire();

        assertThat(second.workerId()).isEqualTo(worker);
        assertThat(second.claim().fencingToken()).isGreaterThan(token);
    }

    /** Stops renewing without releasing (a holder that died) and takes its worker id once the backend expired it. */
    private Lease takeOverAfterExpiry(IdAllocator workers, WorkerIdLease dead) {
        long worker = dead.workerId();
        leases.remove(dead);
        IdAllocator successor = createOrAttach(
                IdAllocatorConfig.builder(name, 0, 1023)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "pod-successor");
        return await().atMost(FAST.ttl().multipliedBy(5))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> successor
                                .reserve(worker, Duration.ofSeconds(5), "successor")
                                .orElse(null),
                        l -> l != null);
    }
}
