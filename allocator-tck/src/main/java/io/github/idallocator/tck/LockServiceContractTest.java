package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockLostException;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.LockTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a lock service promises on any backend, through the public API of {@link LockService}: mutual exclusion,
 * fencing tokens that increase per lock name across holders (also after a lock's records expired), renewal while
 * held, self-fencing, idempotent release outcomes, waiting and wake-up, the thread-owned {@link Lock} adapter with
 * local re-entry, and invalid input rejected before the backend is touched.
 *
 * <p>A backend runs it by extending it and implementing the three hooks. Each test uses a fresh namespace; every
 * service of one test stands for a separate process (its own connection).
 */
public abstract class LockServiceContractTest {

    /** Short enough that expiry tests take a second, long enough for renewal on a busy machine. */
    private static final Duration LEASE = Duration.ofMillis(600);

    private String namespace;
    private final List<ExecutorService> pools = new ArrayList<>();

    /** A lock service of the backend for {@code config}, as a separate process would create it; closed by the kit. */
    protected abstract LockService createService(LockConfig config);

    /**
     * Everything the backend stores for the locks of {@code config}'s namespace, read directly from the backend: each
     * record's name mapped to a fingerprint of its content; empty when nothing is stored.
     */
    protected abstract Map<String, String> storedState(LockConfig config);

    /** Makes the backend lose lock {@code name} of {@code config}'s namespace, as data loss would. */
    protected abstract void loseLock(LockConfig config, String name);

    /** Closes the services created by {@link #createService}; called after each test. */
    protected abstract void closeServices() throws Exception;

    @BeforeEach
    void nameTheNamespace() {
        namespace = "locks-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        pools.forEach(ExecutorService::shutdownNow);
        closeServices();
    }

    private LockConfig config(UnaryOperator<LockConfig.Builder> custom) {
        return custom.apply(LockConfig.builder(namespace).leaseTime(LEASE)).build();
    }

    private LockService service() {
        return createService(config(b -> b));
    }

    private LockService service(UnaryOperator<LockConfig.Builder> custom) {
        return createService(config(custom));
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    }

    @Test
    void aFreeLockIsAcquiredAndHeld() {
        LockService locks = service();

        LockLease lease = locks.tryAcquire("orders").orElseThrow();

        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.name()).isEqualTo("orders");
        assertThat(lease.namespace()).isEqualTo(namespace);
        assertThat(lease.remaining()).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(locks.heldLocks()).containsExactly(lease);
    }

    @Test
    void tryAcquireDoesNotWaitWhileAnotherOwnerHoldsTheLock() {
        LockService first = service();
        LockService second = service();
        first.tryAcquire("orders").orElseThrow();

        long start = System.nanoTime();
        Optional<LockLease> refused = second.tryAcquire("orders");

        assertThat(refused).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void theSameServiceDoesNotGetAHeldLockTwice() {
        LockService locks = service();
        locks.tryAcquire("orders").orElseThrow();

        assertThat(locks.tryAcquire("orders")).isEmpty();
    }

    @Test
    void locksOfDifferentNamesAreIndependent() {
        LockService locks = service();

        assertThat(locks.tryAcquire("a")).isPresent();
        assertThat(locks.tryAcquire("b")).isPresent();
    }

    @Test
    void locksOfDifferentNamespacesAreIndependent() {
        LockService one = service();
        LockService other =
                createService(LockConfig.builder(namespace + "-other").build());
        one.tryAcquire("orders").orElseThrow();

        assertThat(other.tryAcquire("orders")).isPresent();
    }

    @Test
    void acquireThrowsLockTimeoutExceptionWhenTheHolderKeepsTheLockForTheWholeWait() {
        LockService first = service();
        LockService second = service();
        first.tryAcquire("orders").orElseThrow();

        long start = System.nanoTime();
        assertThatThrownBy(() -> second.acquire("orders", Duration.ofMillis(300)))
                .isInstanceOf(LockTimeoutException.class)
                .hasMessageContaining("'orders'")
                .hasMessageContaining("PT0.3S")
                .satisfies(e ->
                        assertThat(((LockTimeoutException) e).isRetryable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
    }

    @Test
    void aReleasedLockGoesToTheNextCaller() {
        LockService first = service();
        LockService second = service();
        LockLease held = first.tryAcquire("orders").orElseThrow();

        assertThat(held.release()).isEqualTo(ReleaseOutcome.RELEASED);

        assertThat(held.isHeld()).isFalse();
        assertThat(first.heldLocks()).isEmpty();
        assertThat(second.tryAcquire("orders")).isPresent();
    }

    @Test
    void tryWithResourcesReleasesTheLock() {
        LockService first = service();
        LockService second = service();

        try (LockLease lease = first.acquire("orders", Duration.ZERO)) {
            assertThat(lease.isHeld()).isTrue();
        }

        assertThat(second.tryAcquire("orders")).isPresent();
    }

    @Test
    void aLeaseCanBeReleasedFromAnotherThread() throws Exception {
        LockService first = service();
        LockService second = service();
        LockLease lease = first.tryAcquire("orders").orElseThrow();

        ReleaseOutcome outcome = pool(1).submit(lease::release).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(second.tryAcquire("orders")).isPresent();
    }

    @Test
    void fencingTokensIncreaseAcrossHoldersOfOneLock() {
        LockService first = service();
        LockService second = service();
        List<Long> tokens = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            LockLease lease = (i % 2 == 0 ? first : second).acquire("orders", Duration.ofSeconds(5));
            tokens.add(lease.fencingToken());
            lease.release();
        }

        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void fencingTokensIncreaseAfterTheLockRecordsWereDeletedOnRelease() {
        LockService locks = service(b -> b.tokenRetention(Duration.ZERO));
        LockLease first = locks.tryAcquire("orders").orElseThrow();
        first.release();
        assertThat(storedState(locks.config())).isEmpty();

        LockLease second = locks.tryAcquire("orders").orElseThrow();

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    }

    @Test
    void fencingTokensIncreaseAfterALeaseExpired() {
        LockService stopsRenewing = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService next = service();
        LockLease expired = stopsRenewing.tryAcquire("orders").orElseThrow();

        LockLease later = next.acquire("orders", Duration.ofSeconds(5));

        assertThat(later.fencingToken()).isGreaterThan(expired.fencingToken());
    }

    @Test
    void renewalKeepsTheLockHeldPastItsLeaseTime() throws Exception {
        LockService holder = service();
        LockService other = service();
        LockLease lease = holder.tryAcquire("orders").orElseThrow();

        Thread.sleep(LEASE.multipliedBy(3).toMillis());

        assertThat(lease.isHeld()).isTrue();
        assertThat(other.tryAcquire("orders")).isEmpty();
    }

    @Test
    void isHeldTurnsFalseBeforeAnotherOwnerCanAcquireWhenRenewalStops() throws Exception {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService other = service();
        LockLease lease = holder.tryAcquire("orders").orElseThrow();
        long[] heldUntil = new long[1];
        Future<?> watch = pool(1).submit(() -> {
            while (lease.isHeld()) {
                heldUntil[0] = System.nanoTime();
            }
        });

        LockLease next = other.acquire("orders", Duration.ofSeconds(5));
        long acquired = System.nanoTime();
        watch.get(5, TimeUnit.SECONDS);

        assertThat(lease.isHeld()).isFalse();
        assertThat(heldUntil[0]).isLessThan(acquired);
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void aLeaseWhoseRenewalStoppedAfterMaxHoldTimeIsReportedLost() {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        holder.addListener(events::add);
        LockLease lease = holder.tryAcquire("orders").orElseThrow();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.stream().anyMatch(e -> e.type() == LockEvent.Type.LOST));

        assertThat(lease.isHeld()).isFalse();
        assertThat(holder.heldLocks()).isEmpty();
        assertThat(events).extracting(LockEvent::type).containsExactly(LockEvent.Type.ACQUIRED, LockEvent.Type.LOST);
        assertThat(events.get(1).message()).contains("maxHoldTime");
    }

    @Test
    void aLockTheBackendLostIsReportedLostAtTheNextRenewal() {
        LockService holder = service();
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        holder.addListener(events::add);
        LockLease lease = holder.tryAcquire("orders").orElseThrow();

        loseLock(holder.config(), "orders");

        await().atMost(LEASE.multipliedBy(3))
                .until(() -> events.stream().anyMatch(e -> e.type() == LockEvent.Type.LOST));
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void releaseOfAHeldLeaseReturnsReleasedAndARepeatedReleaseTheSame() {
        LockLease lease = service().tryAcquire("orders").orElseThrow();

        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
    }

    @Test
    void releaseAfterTheLeaseExpiredReturnsAlreadyExpired() {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService probe = service();
        LockLease lease = holder.tryAcquire("orders").orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.tryAcquire("orders")
                .map(taken -> taken.release() == ReleaseOutcome.RELEASED)
                .orElse(false));

        assertThat(lease.release()).isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);
    }

    @Test
    void releaseAfterAnotherOwnerTookTheLockReturnsHeldByOtherAndLeavesItsLeaseAlone() {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService next = service();
        LockLease expired = holder.tryAcquire("orders").orElseThrow();
        LockLease current = next.acquire("orders", Duration.ofSeconds(5));

        assertThat(expired.release()).isEqualTo(ReleaseOutcome.HELD_BY_OTHER);

        assertThat(current.isHeld()).isTrue();
        assertThat(service().tryAcquire("orders")).isEmpty();
        assertThat(current.release()).isEqualTo(ReleaseOutcome.RELEASED);
    }

    @Test
    void releaseOrThrowThrowsLockLostExceptionWhenTheLeaseWasNoLongerHeld() {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService next = service();
        LockLease expired = holder.tryAcquire("orders").orElseThrow();
        next.acquire("orders", Duration.ofSeconds(5));

        assertThatThrownBy(expired::releaseOrThrow)
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("HELD_BY_OTHER");
    }

    @Test
    void aWaiterAcquiresSoonAfterReleaseLongBeforeItsPollBound() throws Exception {
        LockService holder = service();
        LockService waiter = service(b -> b.waitPollBound(Duration.ofSeconds(30)));
        LockLease lease = holder.tryAcquire("orders").orElseThrow();
        warmUpWakeUps(waiter);
        Future<LockLease> waiting = pool(1).submit(() -> waiter.acquire("orders", Duration.ofSeconds(20)));
        Thread.sleep(300);

        long released = System.nanoTime();
        lease.release();
        LockLease next = waiting.get(20, TimeUnit.SECONDS);

        assertThat(next.isHeld()).isTrue();
        assertThat(Duration.ofNanos(next.acquiredNanos() - released)).isLessThan(Duration.ofSeconds(5));
    }

    /** A wait makes the service subscribe to wake-ups; this makes sure the subscription is up before the test. */
    private void warmUpWakeUps(LockService waiter) {
        String name = "warm-up-" + UUID.randomUUID();
        LockService other = service();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            LockLease held = other.tryAcquire(name).orElseThrow();
            Future<LockLease> waiting = pool(1).submit(() -> waiter.acquire(name, Duration.ofSeconds(5)));
            Thread.sleep(100);
            held.release();
            LockLease got = waiting.get(10, TimeUnit.SECONDS);
            got.release();
            assertThat(Duration.ofNanos(got.acquiredNanos() - held.acquiredNanos()))
                    .isLessThan(Duration.ofSeconds(4));
        });
    }

    @Test
    void aLeaseSaysHowLongItsAcquisitionWaitedForOtherHolders() throws Exception {
        LockService holder = service();
        LockService waiter = service();
        assertThat(waiter.tryAcquire("free").orElseThrow().waited()).isZero();
        LockLease held = holder.tryAcquire("orders").orElseThrow();
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        waiter.addListener(events::add);
        Future<LockLease> waiting = pool(1).submit(() -> waiter.acquire("orders", Duration.ofSeconds(20)));
        Thread.sleep(300);

        held.release();
        LockLease next = waiting.get(20, TimeUnit.SECONDS);

        assertThat(next.waited()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(20));
        assertThat(events)
                .filteredOn(e -> e.type() == LockEvent.Type.ACQUIRED)
                .singleElement()
                .satisfies(e -> assertThat(e.waited()).isEqualTo(next.waited()));
    }

    @Test
    void aWaiterAcquiresOnceTheHoldersLeaseExpires() {
        LockService holder = service(b -> b.maxHoldTime(Duration.ofMillis(1)));
        LockService waiter = service();
        holder.tryAcquire("orders").orElseThrow();

        LockLease next = waiter.acquire("orders", Duration.ofSeconds(10));

        assertThat(next.isHeld()).isTrue();
    }

    @Test
    void manyWaitersTakeTheLockOneAtATime() throws Exception {
        List<LockService> services = List.of(service(), service(), service());
        ExecutorService threads = pool(6);
        List<long[]> holds = new CopyOnWriteArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            LockService locks = services.get(t % services.size());
            done.add(threads.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    try (LockLease lease = locks.acquire("orders", Duration.ofSeconds(30))) {
                        long enter = System.nanoTime();
                        assertThat(lease.isHeld()).isTrue();
                        long leave = System.nanoTime();
                        holds.add(new long[] {enter, leave, lease.fencingToken()});
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }

        List<long[]> byEnter = new ArrayList<>(holds);
        byEnter.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < byEnter.size(); i++) {
            assertThat(byEnter.get(i)[0])
                    .as("hold %d entered after hold %d left", i, i - 1)
                    .isGreaterThan(byEnter.get(i - 1)[1]);
            assertThat(byEnter.get(i)[2]).as("token of hold %d", i).isGreaterThan(byEnter.get(i - 1)[2]);
        }
        assertThat(byEnter).hasSize(90);
    }

    @Test
    void theLockAdapterIsReenteredByItsThreadAndReleasedByTheLastUnlock() {
        LockService locks = service();
        LockService other = service();
        Lock lock = locks.asLock("orders");

        lock.lock();
        lock.lock();
        assertThat(locks.asLock("orders").tryLock()).isTrue();
        lock.unlock();
        lock.unlock();
        assertThat(other.tryAcquire("orders")).isEmpty();
        lock.unlock();

        assertThat(other.tryAcquire("orders")).isPresent();
    }

    @Test
    void theLockAdapterKeepsTheFencingTokenOnReentry() {
        LockService locks = service();
        Lock lock = locks.asLock("orders");

        lock.lock();
        long token = locks.heldLocks().get(0).fencingToken();
        lock.lock();

        assertThat(locks.heldLocks()).hasSize(1);
        assertThat(locks.heldLocks().get(0).fencingToken()).isEqualTo(token);
    }

    @Test
    void anotherThreadCannotUnlockTheLockAdapter() throws Exception {
        Lock lock = service().asLock("orders");
        lock.lock();

        Future<?> unlock = pool(1).submit(lock::unlock);

        assertThatThrownBy(() -> unlock.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void anotherThreadOfTheSameServiceWaitsForTheLockAdapter() throws Exception {
        LockService locks = service();
        Lock lock = locks.asLock("orders");
        lock.lock();
        CountDownLatch tried = new CountDownLatch(1);

        Future<Boolean> other = pool(1).submit(() -> {
            boolean immediately = locks.asLock("orders").tryLock();
            tried.countDown();
            boolean later = locks.asLock("orders").tryLock(10, TimeUnit.SECONDS);
            return !immediately && later;
        });
        assertThat(tried.await(10, TimeUnit.SECONDS)).isTrue();
        lock.unlock();

        assertThat(other.get(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReentryAfterTheLeaseWasLostThrowsLockLostException() {
        LockService locks = service();
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        locks.addListener(events::add);
        Lock lock = locks.asLock("orders");
        lock.lock();
        loseLock(locks.config(), "orders");
        await().atMost(LEASE.multipliedBy(3))
                .until(() -> events.stream().anyMatch(e -> e.type() == LockEvent.Type.LOST));

        assertThatThrownBy(lock::lock).isInstanceOf(LockLostException.class).hasMessageContaining("'orders'");
        lock.unlock();
    }

    @Test
    void aLockHeldByAThreadThatEndedWithoutUnlockIsFreeWithinOneLeaseTime() throws Exception {
        LockService locks = service();
        LockService other = service();
        AtomicReference<Long> ended = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            locks.asLock("orders").lock();
            ended.set(System.nanoTime());
        });
        holder.start();
        holder.join(10_000);

        LockLease next = other.acquire("orders", Duration.ofSeconds(10));

        assertThat(Duration.ofNanos(next.acquiredNanos() - ended.get()))
                .isLessThan(LEASE.plus(LEASE.dividedBy(3)).plusMillis(500));
    }

    @Test
    void heldLocksListsOnlyLeasesStillHeld() {
        LockService locks = service();
        LockLease kept = locks.tryAcquire("a").orElseThrow();
        locks.tryAcquire("b").orElseThrow().release();

        assertThat(locks.heldLocks()).containsExactly(kept);
    }

    @Test
    void invalidInputIsRejectedBeforeTheBackendIsTouched() {
        LockService locks = service();
        Map<String, String> before = storedState(locks.config());

        assertThatThrownBy(() -> locks.tryAcquire("")).hasMessageContaining("lock name ''");
        assertThatThrownBy(() -> locks.tryAcquire("a{b}")).hasMessageContaining("'a{b}'");
        assertThatThrownBy(() -> locks.tryAcquire("a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> locks.tryAcquire(null)).hasMessageContaining("lock name null");
        assertThatThrownBy(() -> locks.tryAcquire("x", Duration.ofMillis(-1))).hasMessageContaining("waitTimeout");
        assertThatThrownBy(() -> locks.tryAcquire("x", null)).hasMessageContaining("waitTimeout");
        assertThatThrownBy(() -> locks.tryAcquire("x", Duration.ZERO, Duration.ofMillis(5)))
                .hasMessageContaining("leaseTime PT0.005S");
        assertThatThrownBy(() -> locks.asLock("}")).hasMessageContaining("'}'");

        assertThat(storedState(locks.config())).isEqualTo(before);
    }
}
