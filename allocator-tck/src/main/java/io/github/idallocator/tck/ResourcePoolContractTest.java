package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.Binding;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.PoolEvent;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.PoolTimeoutException;
import io.github.idallocator.pool.Removal;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.pool.ResourceInfo;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.ResourceState;
import io.github.idallocator.pool.Unhealthy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a resource pool promises on any backend, through the public API of {@link ResourcePool}: exclusive and shared
 * leases with fencing tokens, expiry and self-fencing, idempotent release outcomes, removal by drain and by force, soft
 * binding, resource and waiter priority, quarantine with health checks and unhealthy releases, snapshots, and invalid
 * input rejected before the backend is touched.
 *
 * <p>A backend runs it by extending it and implementing the hooks. Each test uses a fresh pool name; every pool
 * instance of one test stands for a separate process (its own connection).
 */
public abstract class ResourcePoolContractTest {

    /** Short enough that expiry tests take a second, long enough for renewal on a busy machine. */
    private static final Duration LEASE = Duration.ofMillis(600);

    private String name;
    private final List<ExecutorService> executors = new ArrayList<>();

    /** A pool instance of the backend for {@code config}, as a separate process would create it; closed by the kit. */
    protected abstract ResourcePool createPool(PoolConfig config, @Nullable ResourceHealthCheck healthCheck);

    /**
     * Everything the backend stores for the pool of {@code config}, read directly from the backend: each record's name
     * mapped to a fingerprint of its content; empty when nothing is stored.
     */
    protected abstract Map<String, String> storedState(PoolConfig config);

    /** Makes the backend lose everything of the pool of {@code config}, as data loss would. */
    protected abstract void losePool(PoolConfig config);

    /** Closes the pools created by {@link #createPool}; called after each test. */
    protected abstract void closePools() throws Exception;

    @BeforeEach
    void nameThePool() {
        name = "pool-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        executors.forEach(ExecutorService::shutdownNow);
        closePools();
    }

    private PoolConfig config(UnaryOperator<PoolConfig.Builder> custom) {
        return custom.apply(PoolConfig.builder(name).leaseTime(LEASE).maintenanceInterval(Duration.ofMillis(200)))
                .build();
    }

    private ResourcePool pool() {
        return createPool(config(b -> b), null);
    }

    private ResourcePool pool(UnaryOperator<PoolConfig.Builder> custom) {
        return createPool(config(custom), null);
    }

    private ExecutorService threads(int count) {
        ExecutorService executor = Executors.newFixedThreadPool(count);
        executors.add(executor);
        return executor;
    }

    private static ResourceInfo info(ResourcePool pool, String resource) {
        return pool.snapshot(null, 1000).resources().stream()
                .filter(r -> r.name().equals(resource))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no resource " + resource));
    }

    @Test
    void anAddedResourceIsAcquiredAndHeld() {
        ResourcePool pool = pool();
        pool.add("proxy-1");

        ResourceLease lease = pool.tryAcquire().orElseThrow();

        assertThat(lease.resource()).isEqualTo("proxy-1");
        assertThat(lease.pool()).isEqualTo(name);
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.remaining()).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(lease.fencingToken()).isPositive();
        assertThat(pool.heldLeases()).containsExactly(lease);
    }

    @Test
    void anEmptyPoolGrantsNothing() {
        assertThat(pool().tryAcquire()).isEmpty();
    }

    @Test
    void addingIsIdempotent() {
        ResourcePool pool = pool();

        assertThat(pool.add("proxy-1")).isTrue();
        assertThat(pool.add("proxy-1")).isFalse();
        assertThat(pool.snapshot().totals().resources()).isEqualTo(1);
    }

    @Test
    void exclusiveModeHandsEachResourceToOneHolder() {
        ResourcePool first = pool();
        ResourcePool second = pool();
        first.add("a");
        first.add("b");

        ResourceLease one = first.tryAcquire().orElseThrow();
        ResourceLease two = second.tryAcquire().orElseThrow();

        assertThat(Set.of(one.resource(), two.resource())).containsExactlyInAnyOrder("a", "b");
        assertThat(second.tryAcquire()).isEmpty();
    }

    @Test
    void tokensIncreaseAcrossHoldersOfOneResource() {
        ResourcePool first = pool();
        ResourcePool second = pool();
        first.add("a");

        ResourceLease one = first.tryAcquire().orElseThrow();
        one.release();
        ResourceLease two = second.tryAcquire().orElseThrow();

        assertThat(two.resource()).isEqualTo("a");
        assertThat(two.fencingToken()).isGreaterThan(one.fencingToken());
    }

    @Test
    void tokensIncreaseAfterTheBackendLostThePool() {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease before = pool.tryAcquire().orElseThrow();
        before.release();

        losePool(pool.config());
        ResourcePool again = pool();
        again.add("a");
        ResourceLease after = again.tryAcquire().orElseThrow();

        assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
    }

    @Test
    void concurrentAcquisitionsNeverShareAnExclusiveResource() throws Exception {
        ResourcePool setup = pool();
        for (int i = 0; i < 3; i++) {
            setup.add("r" + i);
        }
        List<ResourcePool> instances = List.of(pool(), pool(), pool());
        Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicInteger grants = new AtomicInteger();
        ExecutorService executor = threads(9);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            ResourcePool instance = instances.get(t % 3);
            work.add(executor.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    ResourceLease lease = instance.acquire(Duration.ofSeconds(20));
                    if (holders.computeIfAbsent(lease.resource(), r -> new AtomicInteger())
                                    .incrementAndGet()
                            > 1) {
                        overlap.set(true);
                    }
                    grants.incrementAndGet();
                    holders.get(lease.resource()).decrementAndGet();
                    assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }

        assertThat(overlap).isFalse();
        assertThat(grants).hasValue(270);
        assertThat(setup.snapshot().totals().leases()).isZero();
    }

    @Test
    void sharedModeNeverExceedsTheCap() {
        ResourcePool pool = pool(b -> b.shared(3));
        pool.add("gpu");

        List<ResourceLease> leases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leases.add(pool.tryAcquire().orElseThrow());
        }

        assertThat(leases).extracting(ResourceLease::resource).containsOnly("gpu");
        assertThat(pool.tryAcquire()).isEmpty();
        assertThat(info(pool, "gpu").holders()).hasSize(3);
        leases.get(0).release();
        assertThat(pool.tryAcquire()).isPresent();
    }

    @Test
    void sharedModeHandsOutTheLeastLoadedResourceFirst() {
        ResourcePool pool = pool(b -> b.shared(4));
        pool.add("a");
        pool.add("b");

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            counts.merge(pool.tryAcquire().orElseThrow().resource(), 1, Integer::sum);
        }

        assertThat(counts).containsEntry("a", 3).containsEntry("b", 3);
    }

    @Test
    void aStoredPoolWithAnotherCapRefusesToAttach() {
        pool(b -> b.shared(3));

        assertThatThrownBy(() -> pool(b -> b.shared(4)))
                .isInstanceOf(ConfigurationMismatchException.class)
                .hasMessageContaining("maxHolders 3")
                .hasMessageContaining("4");
    }

    @Test
    void aLeaseIsRenewedWhileHeld() throws InterruptedException {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease lease = pool.tryAcquire().orElseThrow();

        Thread.sleep(LEASE.multipliedBy(3).toMillis());

        assertThat(lease.isHeld()).isTrue();
        assertThat(pool().tryAcquire()).isEmpty();
    }

    @Test
    void aLeaseWithoutRenewalExpiresAndItsResourceReturns() {
        ResourcePool pool = pool();
        pool.add("a");
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        pool.addListener(events::add);
        ResourceLease lease =
                pool.tryAcquire(AcquireOptions.defaults().autoRenew(false)).orElseThrow();

        await().atMost(Duration.ofSeconds(5)).until(() -> !lease.isHeld());
        ResourcePool other = pool();
        ResourceLease next = await().atMost(Duration.ofSeconds(5))
                .until(() -> other.tryAcquire().orElse(null), l -> l != null);

        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        assertThat(lease.release()).isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> events.stream().anyMatch(e -> e.type() == PoolEvent.Type.LOST));
    }

    @Test
    void anExplicitRenewalExtendsALeaseWithoutBackgroundRenewal() throws InterruptedException {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease lease =
                pool.tryAcquire(AcquireOptions.defaults().autoRenew(false)).orElseThrow();

        assertThat(pool.renew(lease, Duration.ofSeconds(5))).isTrue();
        Thread.sleep(LEASE.multipliedBy(2).toMillis());

        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.leaseTime()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void releaseIsIdempotent() {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease lease = pool.tryAcquire().orElseThrow();

        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(lease.isHeld()).isFalse();
        assertThat(pool.heldLeases()).isEmpty();
    }

    @Test
    void aWaiterGetsTheResourceWhenItIsReleased() throws Exception {
        ResourcePool first = pool();
        ResourcePool second = pool();
        first.add("a");
        ResourceLease held = first.tryAcquire().orElseThrow();

        Future<ResourceLease> waiter = threads(1).submit(() -> second.acquire(Duration.ofSeconds(10)));
        Thread.sleep(200);
        held.release();

        ResourceLease lease = waiter.get(5, TimeUnit.SECONDS);
        assertThat(lease.resource()).isEqualTo("a");
        assertThat(lease.waited()).isPositive();
    }

    @Test
    void acquireThrowsWhenNothingIsFreedWithinTheWait() {
        ResourcePool pool = pool();
        pool.add("a");
        pool.tryAcquire().orElseThrow();

        assertThatThrownBy(() -> pool().acquire(Duration.ofMillis(300)))
                .isInstanceOf(PoolTimeoutException.class)
                .satisfies(e ->
                        assertThat(((PoolTimeoutException) e).isRetryable()).isTrue());
        assertThat(pool.snapshot().totals().waiters()).isZero();
    }

    @Test
    void aCallerThatDoesNotWaitDoesNotOvertakeWaiters() throws Exception {
        ResourcePool first = pool();
        first.add("a");
        ResourceLease held = first.tryAcquire().orElseThrow();
        ResourcePool waiting = pool();
        Future<ResourceLease> waiter = threads(1).submit(() -> waiting.acquire(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> first.snapshot().totals().waiters() == 1);

        ResourcePool barging = pool(b -> b.waitPollBound(Duration.ofSeconds(5)));
        held.release();
        Optional<ResourceLease> barged = barging.tryAcquire();

        ResourceLease served = waiter.get(5, TimeUnit.SECONDS);
        assertThat(served.resource()).isEqualTo("a");
        barged.ifPresent(l -> assertThat(l.resource()).isNotEqualTo("a"));
    }

    @Test
    void waitersWithAHigherPriorityAreServedFirst() throws Exception {
        ResourcePool owner = pool();
        owner.add("a");
        ResourceLease held = owner.tryAcquire().orElseThrow();
        List<String> order = new CopyOnWriteArrayList<>();
        ExecutorService executor = threads(3);
        List<Future<?>> waiters = new ArrayList<>();
        int[] priorities = {1, 5, 9};
        for (int priority : priorities) {
            ResourcePool instance = pool();
            waiters.add(executor.submit(() -> {
                ResourceLease lease = instance.acquire(
                        Duration.ofSeconds(20), AcquireOptions.defaults().waiterPriority(priority));
                order.add("p" + priority);
                lease.release();
                return null;
            }));
            int expected = waiters.size();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> owner.snapshot().totals().waiters() == expected);
        }
        assertThat(owner.snapshot().waiters())
                .extracting(PoolSnapshot.Waiter::priority)
                .containsExactly(9, 5, 1);

        held.release();
        for (Future<?> waiter : waiters) {
            waiter.get(20, TimeUnit.SECONDS);
        }

        assertThat(order).containsExactly("p9", "p5", "p1");
    }

    @Test
    void waitersOfEqualPriorityAreServedFirstComeFirstServed() throws Exception {
        ResourcePool owner = pool();
        owner.add("a");
        ResourceLease held = owner.tryAcquire().orElseThrow();
        List<String> order = new CopyOnWriteArrayList<>();
        ExecutorService executor = threads(3);
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ResourcePool instance = pool();
            String label = "w" + i;
            waiters.add(executor.submit(() -> {
                ResourceLease lease = instance.acquire(Duration.ofSeconds(20));
                order.add(label);
                lease.release();
                return null;
            }));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> owner.snapshot().totals().waiters() == expected);
        }

        held.release();
        for (Future<?> waiter : waiters) {
            waiter.get(20, TimeUnit.SECONDS);
        }

        assertThat(order).containsExactly("w0", "w1", "w2");
    }

    @Test
    void resourcesWithALowerPriorityAreServedFirst() {
        ResourcePool pool = pool();
        pool.add("spare", 10, null);
        pool.add("best", 0, null);
        pool.add("good", 5, null);

        assertThat(pool.tryAcquire().orElseThrow().resource()).isEqualTo("best");
        assertThat(pool.tryAcquire().orElseThrow().resource()).isEqualTo("good");
        assertThat(pool.tryAcquire().orElseThrow().resource()).isEqualTo("spare");
    }

    @Test
    void equalPrioritiesGoToTheResourceReleasedLongestAgo() throws InterruptedException {
        ResourcePool pool = pool();
        pool.add("a");
        pool.add("b");
        ResourceLease first = pool.tryAcquire().orElseThrow();
        ResourceLease second = pool.tryAcquire().orElseThrow();
        second.release();
        Thread.sleep(5);
        first.release();

        assertThat(pool.tryAcquire().orElseThrow().resource()).isEqualTo(second.resource());
    }

    @Test
    void aPriorityChangeTakesEffectAtOnce() {
        ResourcePool pool = pool();
        pool.add("a", 0, null);
        pool.add("b", 5, null);

        pool.add("a", 9, null);

        assertThat(pool.tryAcquire().orElseThrow().resource()).isEqualTo("b");
        assertThat(info(pool, "a").priority()).isEqualTo(9);
    }

    @Test
    void theBoundResourceIsGrantedWheneverItCanTakeAHolder() {
        ResourcePool pool = pool();
        for (String r : List.of("a", "b", "c")) {
            pool.add(r);
        }
        ResourceLease first = pool.tryAcquire(AcquireOptions.defaults().preferBound("worker-7"))
                .orElseThrow();
        first.release();

        for (int i = 0; i < 5; i++) {
            ResourceLease again = pool.tryAcquire(AcquireOptions.defaults().preferBound("worker-7"))
                    .orElseThrow();
            assertThat(again.resource()).isEqualTo(first.resource());
            assertThat(again.boundHit()).isTrue();
            again.release();
        }
    }

    @Test
    void aBusyBoundResourceFallsBackAndRebinds() {
        ResourcePool pool = pool();
        pool.add("a");
        pool.add("b");
        ResourceLease bound = pool.tryAcquire(AcquireOptions.defaults().preferBound("worker-7"))
                .orElseThrow();

        ResourceLease fallback = pool.tryAcquire(AcquireOptions.defaults().preferBound("worker-7"))
                .orElseThrow();

        assertThat(fallback.resource()).isNotEqualTo(bound.resource());
        assertThat(fallback.boundHit()).isFalse();
        assertThat(pool.binding("worker-7")).map(Binding::resource).contains(fallback.resource());
    }

    @Test
    void bindingsExpire() {
        ResourcePool pool = pool(b -> b.bindingTtl(Duration.ofSeconds(1)));
        pool.add("a");
        pool.tryAcquire(AcquireOptions.defaults().preferBound("worker-7"))
                .orElseThrow()
                .release();
        assertThat(pool.binding("worker-7")).isPresent();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> pool.binding("worker-7").isEmpty());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pool.snapshot().totals().bindings() == 0);
    }

    @Test
    void bindingsAreListedAndRemoved() {
        ResourcePool pool = pool();
        pool.add("a");
        pool.add("b");
        pool.tryAcquire(AcquireOptions.defaults().preferBound("w1")).orElseThrow();
        pool.tryAcquire(AcquireOptions.defaults().preferBound("w2")).orElseThrow();

        List<Binding> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = pool.bindings(cursor, 1);
            all.addAll(page.bindings());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(all).extracting(Binding::name).containsExactlyInAnyOrder("w1", "w2");
        assertThat(pool.unbind("w1")).isTrue();
        assertThat(pool.unbind("w1")).isFalse();
        assertThat(pool.binding("w1")).isEmpty();
    }

    @Test
    void aDrainedResourceIsNotHandedOutAndDisappearsAfterItsLastRelease() {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease holder = pool.tryAcquire().orElseThrow();

        assertThat(pool.remove("a", Removal.DRAIN)).isTrue();

        assertThat(info(pool, "a").state()).isEqualTo(ResourceState.DRAINING);
        assertThat(holder.isHeld()).isTrue();
        holder.release();
        assertThat(holder.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(pool.snapshot().resources()).isEmpty();
        assertThat(pool.tryAcquire()).isEmpty();
        assertThat(pool.snapshot().totals().draining()).isZero();
    }

    @Test
    void aDrainingResourceIsNotHandedOutWhileHeld() {
        ResourcePool pool = pool(b -> b.shared(3));
        pool.add("a");
        pool.tryAcquire().orElseThrow();

        pool.remove("a", Removal.DRAIN);

        assertThat(pool.tryAcquire()).isEmpty();
    }

    @Test
    void aForcedRemovalRevokesTheHoldersLeases() {
        ResourcePool pool = pool();
        pool.add("a");
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        pool.addListener(events::add);
        ResourceLease holder = pool.tryAcquire().orElseThrow();

        assertThat(pool.remove("a", Removal.FORCE)).isTrue();

        assertThat(pool.renew(holder, LEASE)).isFalse();
        assertThat(holder.isHeld()).isFalse();
        assertThat(holder.release()).isEqualTo(ReleaseOutcome.REVOKED);
        assertThat(pool.snapshot().resources()).isEmpty();
        assertThat(events)
                .anyMatch(e -> e.type() == PoolEvent.Type.LOST && e.message().contains("revoked"));
    }

    @Test
    void removingAnUnknownResourceSaysSo() {
        assertThat(pool().remove("nothing", Removal.FORCE)).isFalse();
    }

    @Test
    void aQuarantinedResourceIsNeverHandedOut() {
        ResourcePool pool = pool();
        pool.add("a");

        assertThat(pool.quarantine("a", Duration.ofMinutes(5), "timeouts")).isTrue();

        assertThat(pool.tryAcquire()).isEmpty();
        ResourceInfo a = info(pool, "a");
        assertThat(a.state()).isEqualTo(ResourceState.QUARANTINED);
        assertThat(a.quarantineReason()).isEqualTo("timeouts");
        assertThat(a.quarantinedUntil()).isNotNull();
        assertThat(pool.restore("a")).isTrue();
        assertThat(pool.tryAcquire()).isPresent();
    }

    @Test
    void aQuarantineEndsAtItsEnd() {
        ResourcePool pool = pool();
        pool.add("a");
        pool.quarantine("a", Duration.ofMillis(300), "short");

        ResourceLease lease = await().atMost(Duration.ofSeconds(5))
                .until(() -> pool.tryAcquire().orElse(null), l -> l != null);

        assertThat(lease.resource()).isEqualTo("a");
    }

    @Test
    void anAcquireThatFindsNothingFreeCollectsExpiredLeasesAndEndedQuarantinesItself() throws InterruptedException {
        ResourcePool pool = pool(b -> b.maintenanceInterval(Duration.ofHours(1)));
        pool.add("leased");
        pool.add("quarantined");
        pool.tryAcquire(AcquireOptions.defaults().autoRenew(false).leaseTime(Duration.ofMillis(200)))
                .orElseThrow();
        pool.quarantine("quarantined", Duration.ofMillis(200), "short");
        assertThat(pool.tryAcquire()).isEmpty();

        Thread.sleep(400);

        assertThat(List.of(
                        pool.tryAcquire().orElseThrow().resource(),
                        pool.tryAcquire().orElseThrow().resource()))
                .containsExactlyInAnyOrder("leased", "quarantined");
    }

    @Test
    void theHealthCheckRestoresAQuarantinedResourceThatPasses() {
        Set<String> probed = ConcurrentHashMap.newKeySet();
        AtomicBoolean healthy = new AtomicBoolean();
        ResourcePool pool = createPool(config(b -> b), (resource, metadata) -> {
            probed.add(resource + "=" + metadata);
            return healthy.get();
        });
        pool.add("a", 0, "{\"host\":\"10.0.0.1\"}");
        pool.add("b");
        pool.quarantine("a", Duration.ofMinutes(5), "down");

        await().atMost(Duration.ofSeconds(5)).until(() -> probed.contains("a={\"host\":\"10.0.0.1\"}"));
        assertThat(info(pool, "a").state()).isEqualTo(ResourceState.QUARANTINED);
        assertThat(probed).noneMatch(p -> p.startsWith("b="));
        healthy.set(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> info(pool, "a").state() == ResourceState.ACTIVE);
    }

    @Test
    void aHealthCheckThatHangsKeepsOnlyItsOwnResourceQuarantined() {
        ResourcePool pool = createPool(config(b -> b.healthCheckTimeout(Duration.ofMillis(300))), (resource, m) -> {
            if (resource.equals("hangs")) {
                Thread.sleep(Duration.ofMinutes(5).toMillis());
            }
            return true;
        });
        pool.add("hangs");
        pool.add("passes");
        pool.quarantine("hangs", Duration.ofMinutes(5), "down");
        pool.quarantine("passes", Duration.ofMinutes(5), "down");

        await().atMost(Duration.ofSeconds(5)).until(() -> info(pool, "passes").state() == ResourceState.ACTIVE);
        assertThat(info(pool, "hangs").state()).isEqualTo(ResourceState.QUARANTINED);
    }

    @Test
    void repeatedUnhealthyReleasesQuarantineAResource() {
        ResourcePool pool = pool(b -> b.unhealthy(2, Duration.ofMinutes(1)));
        pool.add("a");
        Unhealthy timeout = Unhealthy.of(Duration.ofMinutes(5), "timeout");

        pool.tryAcquire().orElseThrow().release(timeout);
        assertThat(info(pool, "a").state()).isEqualTo(ResourceState.ACTIVE);
        pool.tryAcquire().orElseThrow().release(timeout);

        ResourceInfo a = info(pool, "a");
        assertThat(a.state()).isEqualTo(ResourceState.QUARANTINED);
        assertThat(a.quarantineReason()).isEqualTo("timeout");
        assertThat(pool.tryAcquire()).isEmpty();
        assertThat(pool.snapshot().totals().autoQuarantined()).isEqualTo(1);
    }

    @Test
    void theSnapshotPagesThroughEveryResource() {
        ResourcePool pool = pool(b -> b.shared(2));
        Set<String> added = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            pool.add("r" + i, i % 3, "meta-" + i);
            added.add("r" + i);
        }
        pool.tryAcquire().orElseThrow();

        Set<String> seen = new HashSet<>();
        String cursor = null;
        PoolSnapshot page;
        do {
            page = pool.snapshot(cursor, 7);
            page.resources().forEach(r -> seen.add(r.name()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).isEqualTo(added);
        assertThat(page.totals().resources()).isEqualTo(25);
        assertThat(page.totals().leases()).isEqualTo(1);
        assertThat(page.totals().available()).isEqualTo(25);
        assertThat(page.maxHolders()).isEqualTo(2);
        assertThat(info(pool, "r4").metadata()).isEqualTo("meta-4");
    }

    @Test
    void aDeadWaitersTicketExpires() throws Exception {
        ResourcePool owner = pool();
        owner.add("a");
        owner.tryAcquire().orElseThrow();
        ResourcePool dying = pool(b -> b.waitPollBound(Duration.ofMillis(100)));
        Future<?> waiter = threads(1).submit(() -> dying.acquire(Duration.ofMinutes(1)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> owner.snapshot().totals().waiters() == 1);

        waiter.cancel(true);
        closePools();

        ResourcePool fresh = pool();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fresh.snapshot().totals().waiters() == 0);
    }

    @Test
    void invalidInputIsRejectedBeforeTheBackendIsTouched() {
        ResourcePool pool = pool();
        pool.add("a");
        Map<String, String> before = storedState(pool.config());

        assertThatThrownBy(() -> pool.add("has space")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.add("a|b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.add("a", -1, null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.add("a", 0, "x".repeat(5000))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.tryAcquire(Duration.ofSeconds(-1), AcquireOptions.defaults()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.tryAcquire(AcquireOptions.defaults().leaseTime(Duration.ofMillis(1))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> pool.tryAcquire(AcquireOptions.defaults().waiterPriority(1001)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("waiterPriority");
        assertThatThrownBy(() -> pool.tryAcquire(AcquireOptions.defaults().preferBound("{x}")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.quarantine("a", Duration.ZERO, "x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.snapshot("not-a-cursor", 10)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pool.snapshot(null, 0)).isInstanceOf(InvalidArgumentException.class);

        assertThat(storedState(pool.config())).isEqualTo(before);
    }

    @Test
    void aLeaseOfAnotherInstanceIsRejected() {
        ResourcePool first = pool();
        ResourcePool second = pool();
        first.add("a");
        ResourceLease lease = first.tryAcquire().orElseThrow();

        assertThatThrownBy(() -> second.release(lease)).isInstanceOf(InvalidArgumentException.class);
        assertThat(lease.isHeld()).isTrue();
    }

    @Test
    void aWaitingCallerIsWokenByAnAddedResource() throws Exception {
        ResourcePool pool = pool(b -> b.waitPollBound(Duration.ofSeconds(30)));
        Future<ResourceLease> waiter = threads(1).submit(() -> pool.acquire(Duration.ofSeconds(20)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pool.snapshot().totals().waiters() == 1);
        long start = System.nanoTime();

        pool().add("late");

        assertThat(waiter.get(10, TimeUnit.SECONDS).resource()).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closingAPoolReleasesItsLeases() throws Exception {
        ResourcePool first = pool();
        first.add("a");
        first.tryAcquire().orElseThrow();
        ResourcePool second = pool();

        ((AutoCloseable) first).close();

        assertThat(second.tryAcquire()).isPresent();
    }

    @Test
    void theSnapshotShowsEachHolder() {
        ResourcePool pool = pool();
        pool.add("a");
        ResourceLease lease = pool.tryAcquire().orElseThrow();

        ResourceInfo.Holder holder = info(pool, "a").holders().get(0);

        assertThat(holder.owner()).isEqualTo(lease.owner());
        assertThat(holder.fencingToken()).isEqualTo(lease.fencingToken());
        assertThat(holder.expiresAt()).isAfter(pool.snapshot().readAt());
    }
}
