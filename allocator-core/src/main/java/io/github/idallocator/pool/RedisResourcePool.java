package io.github.idallocator.pool;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.internal.LeaseKeeper;
import io.github.idallocator.internal.ReleaseWakeups;
import io.github.idallocator.range.InstanceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link ResourcePool} on Redis: every operation is one atomic script over the pool's keys, all in one Redis Cluster
 * slot (see {@code lib_pool.lua} for the layout). Held leases are renewed in the background like locks' ({@link
 * LeaseKeeper}); waiters are woken by releases (one subscription per pool instance) and poll at least every {@link
 * PoolConfig#waitPollBound()}. One instance at a time, the creator, collects expired leases, tickets and bindings every
 * {@link PoolConfig#maintenanceInterval()} and runs the health check on quarantined resources.
 *
 * <p>Create it with {@link #createOrAttach(RedisConnectionFactory, PoolConfig, String)}: the first call creates the
 * pool in Redis, later ones attach to it and fail fast when their {@code maxHolders} differs from the stored one. {@link
 * #close()} releases this instance's leases and stops its threads.
 */
public final class RedisResourcePool implements ResourcePool, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisResourcePool.class);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static final long SUBSCRIPTION_RECOVERY_MILLIS = 5_000;

    /** How many quarantined resources one maintenance run probes at most. */
    static final int HEALTH_CHECKS_PER_RUN = 100;

    private final PoolConfig config;
    private final String instanceId;
    private final PoolScripts scripts;
    private final ReleaseWakeups wakeups;
    private final LeaseKeeper<ResourceLease> keeper;
    private final @Nullable ResourceHealthCheck healthCheck;
    private final @Nullable ExecutorService healthChecks;
    private final long pollBoundNanos;
    private final long ticketMillis;
    private final AtomicLong acquisitions = new AtomicLong();
    private final Set<ResourceLease> held = ConcurrentHashMap.newKeySet();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> maintenance;
    private volatile boolean creator;
    private volatile boolean closed;

    private RedisResourcePool(
            RedisConnectionFactory connectionFactory,
            PoolConfig config,
            String instanceId,
            @Nullable ResourceHealthCheck healthCheck) {
        this.config = Objects.requireNonNull(config, "config");
        this.instanceId = InstanceIds.require(instanceId);
        this.scripts = new PoolScripts(new StringRedisTemplate(connectionFactory), config);
        this.healthCheck = healthCheck;
        this.pollBoundNanos = config.waitPollBound().toNanos();
        this.ticketMillis = 2 * config.waitPollBound().toMillis() + 1000;
        scripts.init();
        int number = POOLS.incrementAndGet();
        this.wakeups = new ReleaseWakeups(
                connectionFactory, scripts.channel(), SUBSCRIPTION_RECOVERY_MILLIS, "idallocator-pool");
        this.keeper = new LeaseKeeper<>("idallocator-pool-" + config.name() + "-" + number, new Renewals());
        this.healthChecks = healthCheck == null
                ? null
                : Executors.newCachedThreadPool(task -> {
                    Thread thread = new Thread(task, "idallocator-pool-health-" + config.name() + "-" + number);
                    thread.setDaemon(true);
                    return thread;
                });
        this.maintenance = keeper.scheduler()
                .scheduleWithFixedDelay(
                        this::maintain,
                        config.maintenanceInterval().toMillis(),
                        config.maintenanceInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the pool in Redis, or attaches to the one stored there, without a health check.
     *
     * @throws io.github.idallocator.ConfigurationMismatchException when the stored pool has another {@code
     *     maxHolders}
     */
    public static RedisResourcePool createOrAttach(
            RedisConnectionFactory connectionFactory, PoolConfig config, String instanceId) {
        return createOrAttach(connectionFactory, config, instanceId, null);
    }

    /**
     * Creates the pool in Redis, or attaches to the one stored there.
     *
     * @param instanceId this instance's id, unique among all instances ({@link InstanceIds#generate()})
     * @param healthCheck probes quarantined resources while this instance is the pool's creator; null for none
     * @throws io.github.idallocator.ConfigurationMismatchException when the stored pool has another {@code
     *     maxHolders}
     */
    public static RedisResourcePool createOrAttach(
            RedisConnectionFactory connectionFactory,
            PoolConfig config,
            String instanceId,
            @Nullable ResourceHealthCheck healthCheck) {
        RedisResourcePool pool = new RedisResourcePool(connectionFactory, config, instanceId, healthCheck);
        log.info(
                "Attached to pool '{}' ({}) as instance {}",
                config.name(),
                config.exclusive() ? "exclusive" : "shared, up to " + config.maxHolders() + " holders per resource",
                instanceId);
        return pool;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public PoolConfig config() {
        return config;
    }

    /** This instance's id, which starts every owner id of its leases. */
    public String instanceId() {
        return instanceId;
    }

    /** Whether this instance is the pool's creator now (runs maintenance and the health check). */
    public boolean isCreator() {
        return creator;
    }

    @Override
    public boolean add(String resource, int priority, @Nullable String metadata) {
        config.requireResource(resource, priority, metadata);
        boolean added = scripts.add(resource, priority, metadata);
        if (added) {
            log.debug("Added resource '{}' to pool '{}' with priority {}", resource, name(), priority);
        }
        return added;
    }

    @Override
    public boolean remove(String resource, Removal removal) {
        config.requireMemberName("resource", resource);
        Objects.requireNonNull(removal, "removal");
        PoolScripts.Removed removed = scripts.remove(resource, removal);
        if (removed.found()) {
            if (removed.draining()) {
                log.info(
                        "Draining resource '{}' of pool '{}': removed once its {} holder(s) release it",
                        resource,
                        name(),
                        removed.count());
            } else {
                log.info(
                        "Removed resource '{}' from pool '{}'{}",
                        resource,
                        name(),
                        removed.count() > 0 ? ", revoking " + removed.count() + " lease(s)" : "");
            }
        }
        return removed.found();
    }

    @Override
    public Optional<ResourceLease> tryAcquire(Duration waitTimeout, AcquireOptions options) {
        Objects.requireNonNull(options, "options");
        Checks.requireBetween(
                "waitTimeout",
                waitTimeout,
                Duration.ZERO,
                PoolConfig.MAX_WAIT_TIMEOUT,
                config.describe(),
                "use zero (one attempt) or a positive wait");
        Duration leaseTime = options.leaseTime() == null ? config.leaseTime() : options.leaseTime();
        long leaseMillis = PoolConfig.requireLeaseTime("leaseTime", leaseTime, config.describe());
        String binding = options.bindingName();
        if (binding != null) {
            config.requireMemberName("bindingName", binding);
        }
        Checks.requireBetween(
                "waiterPriority",
                options.waiterPriority(),
                PoolConfig.MIN_WAITER_PRIORITY,
                PoolConfig.MAX_WAITER_PRIORITY,
                config.describe(),
                "use 0 (the default) or a higher priority to be served before others");
        boolean autoRenew = options.autoRenew() == null ? config.autoRenew() : options.autoRenew();
        if (closed) {
            throw new IdAllocatorException("Pool '" + name() + "' of instance " + instanceId + " is closed");
        }
        try {
            return Optional.ofNullable(
                    attempt(waitTimeout.toNanos(), leaseMillis, binding, options.waiterPriority(), autoRenew));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdAllocatorException(
                    "Interrupted while waiting for a resource of pool '" + name() + "'; no resource was acquired");
        }
    }

    private @Nullable ResourceLease attempt(
            long waitNanos, long leaseMillis, @Nullable String binding, int waiterPriority, boolean autoRenew)
            throws InterruptedException {
        String owner = instanceId + ":" + acquisitions.incrementAndGet();
        long start = System.nanoTime();
        ReleaseWakeups.Signal signal = waitNanos == 0 ? null : wakeups.register(name());
        boolean refused = false;
        boolean granted = false;
        try {
            while (true) {
                long seen = signal == null ? 0 : signal.seen();
                long sent = System.nanoTime();
                PoolScripts.Grant grant = acquireOnce(owner, leaseMillis, binding, signal != null, waiterPriority);
                if (grant.granted()) {
                    granted = true;
                    return granted(owner, grant, leaseMillis, sent, refused ? sent - start : 0, autoRenew);
                }
                refused = true;
                if (signal == null) {
                    return null;
                }
                long left = start + waitNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                long holderLeft = grant.holderMillisLeft() < 0
                        ? Long.MAX_VALUE
                        : TimeUnit.MILLISECONDS.toNanos(grant.holderMillisLeft() + 1);
                long jitter = ThreadLocalRandom.current().nextLong(pollBoundNanos / 10 + 1);
                signal.await(seen, Math.min(left, Math.min(holderLeft, pollBoundNanos - jitter)));
            }
        } finally {
            if (signal != null) {
                wakeups.unregister(name());
                if (!granted && refused) {
                    cancelTicket(owner);
                }
            }
        }
    }

    /**
     * One acquire script. When its reply is lost (Redis unavailable), the grant it may have made is released as far as
     * Redis answers, so that the resource does not stay held by an owner nobody knows until its lease ends.
     */
    private PoolScripts.Grant acquireOnce(
            String owner, long leaseMillis, @Nullable String binding, boolean waits, int waiterPriority) {
        try {
            return scripts.acquire(owner, leaseMillis, binding, waits, waiterPriority, ticketMillis);
        } catch (RedisUnavailableException e) {
            try {
                scripts.release(owner, "", null);
            } catch (IdAllocatorException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

    private void cancelTicket(String owner) {
        try {
            scripts.cancel(owner);
        } catch (IdAllocatorException e) {
            log.debug(
                    "Could not give up the waiter ticket {} of pool '{}'; it ends within {} ms: {}",
                    owner,
                    name(),
                    ticketMillis,
                    e.getMessage());
        }
    }

    private ResourceLease granted(
            String owner,
            PoolScripts.Grant grant,
            long leaseMillis,
            long sentNanos,
            long waitedNanos,
            boolean autoRenew) {
        ResourceLease lease = new ResourceLease(
                this,
                Objects.requireNonNull(grant.resource()),
                owner,
                grant.token(),
                Instant.ofEpochMilli(grant.expiresAtMillis()),
                grant.boundHit(),
                leaseMillis,
                sentNanos,
                waitedNanos,
                autoRenew);
        held.add(lease);
        if (autoRenew) {
            keeper.renewFrom(lease, sentNanos);
        } else {
            keeper.expireAtDeadline(lease);
        }
        log.debug(
                "Acquired resource '{}' of pool '{}' as {} with fencing token {}",
                lease.resource(),
                name(),
                owner,
                grant.token());
        publish(
                PoolEvent.Type.ACQUIRED,
                lease.resource(),
                owner,
                grant.token(),
                lease.waited(),
                "acquired resource '" + lease.resource() + "' with fencing token " + grant.token());
        return lease;
    }

    @Override
    public boolean renew(ResourceLease lease, Duration leaseTime) {
        requireOwn(lease);
        long leaseMillis = PoolConfig.requireLeaseTime("leaseTime", leaseTime, config.describe());
        if (lease.clock().state() != LeaseClock.State.HELD) {
            return false;
        }
        if (!lease.isHeld()) {
            lost(lease, "its local deadline passed before the renewal");
            return false;
        }
        long sent = System.nanoTime();
        PoolScripts.Renewal renewal = scripts.renew(lease.owner(), lease.fencingToken(), leaseMillis);
        if (!renewal.renewed()) {
            lost(lease, refusal(renewal));
            return false;
        }
        lease.clock().renewedTo(sent, leaseMillis);
        lease.expiresAt(Instant.ofEpochMilli(renewal.expiresAtMillis()));
        keeper.forget(lease);
        if (lease.autoRenew()) {
            keeper.renewFrom(lease, sent);
        } else {
            keeper.expireAtDeadline(lease);
        }
        return true;
    }

    private static String refusal(PoolScripts.Renewal renewal) {
        return renewal.revoked()
                ? "it was revoked (its resource was removed with FORCE)"
                : "Redis no longer holds it (it expired, or Redis lost it)";
    }

    @Override
    public ReleaseOutcome release(ResourceLease lease, @Nullable Unhealthy unhealthy) {
        requireOwn(lease);
        if (unhealthy != null) {
            Checks.requireBetween(
                    "quarantine",
                    unhealthy.quarantine(),
                    Duration.ofMillis(1),
                    PoolConfig.MAX_QUARANTINE,
                    config.describe(),
                    "use a duration such as PT5M");
            PoolConfig.requireText("reason", unhealthy.reason(), config.describe(), false);
        }
        ReleaseOutcome known = lease.outcome();
        if (known != null) {
            return known;
        }
        lease.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.RELEASING);
        held.remove(lease);
        keeper.forget(lease);
        boolean retry = lease.releaseSent();
        if (!retry) {
            lease.releaseSent(System.nanoTime() - lease.localDeadlineNanos() < 0);
        }
        PoolScripts.Release released = scripts.release(lease.owner(), Long.toString(lease.fencingToken()), unhealthy);
        ReleaseOutcome outcome = released.outcome();
        if (outcome == ReleaseOutcome.ALREADY_EXPIRED && retry) {
            // the first release was sent before the local deadline, so before Redis's expiry: it released the lease
            outcome = ReleaseOutcome.RELEASED;
        }
        lease.outcome(outcome);
        wakeups.wake(name());
        if (outcome == ReleaseOutcome.RELEASED) {
            log.debug(
                    "Released resource '{}' of pool '{}' (fencing token {})",
                    lease.resource(),
                    name(),
                    lease.fencingToken());
            publish(
                    PoolEvent.Type.RELEASED,
                    lease.resource(),
                    lease.owner(),
                    lease.fencingToken(),
                    Duration.ZERO,
                    "released resource '" + lease.resource() + "'");
            if (released.quarantined() && unhealthy != null) {
                log.warn(
                        "Quarantined resource '{}' of pool '{}' for {}: {} unhealthy releases within {} ({})",
                        lease.resource(),
                        name(),
                        unhealthy.quarantine(),
                        config.unhealthyThreshold(),
                        config.unhealthyWindow(),
                        unhealthy.reason());
                publish(
                        PoolEvent.Type.QUARANTINED,
                        lease.resource(),
                        "",
                        0,
                        Duration.ZERO,
                        "quarantined resource '" + lease.resource() + "' for " + unhealthy.quarantine() + " after "
                                + config.unhealthyThreshold() + " unhealthy releases: " + unhealthy.reason());
            }
        } else if (lease.clock().changeState(LeaseClock.State.RELEASING, LeaseClock.State.LOST)) {
            String message = "lost resource '" + lease.resource() + "' (fencing token " + lease.fencingToken()
                    + ") before it was released: "
                    + (outcome == ReleaseOutcome.REVOKED
                            ? "it was revoked (removed with FORCE)"
                            : "its lease had expired");
            log.warn("Pool '{}' {}", name(), message);
            publish(PoolEvent.Type.LOST, lease.resource(), lease.owner(), lease.fencingToken(), Duration.ZERO, message);
        }
        return outcome;
    }

    @Override
    public boolean quarantine(String resource, Duration duration, String reason) {
        config.requireMemberName("resource", resource);
        Checks.requireBetween(
                "duration",
                duration,
                Duration.ofMillis(1),
                PoolConfig.MAX_QUARANTINE,
                config.describe(),
                "use a duration such as PT5M");
        PoolConfig.requireText("reason", reason, config.describe(), false);
        Optional<Instant> until = scripts.quarantine(resource, duration.toMillis(), reason);
        until.ifPresent(end -> {
            log.warn("Quarantined resource '{}' of pool '{}' until {}: {}", resource, name(), end, reason);
            publish(
                    PoolEvent.Type.QUARANTINED,
                    resource,
                    "",
                    0,
                    Duration.ZERO,
                    "quarantined resource '" + resource + "' until " + end + ": " + reason);
        });
        return until.isPresent();
    }

    @Override
    public boolean restore(String resource) {
        config.requireMemberName("resource", resource);
        boolean restored = scripts.restore(resource);
        if (restored) {
            log.info("Restored resource '{}' of pool '{}'", resource, name());
            publish(PoolEvent.Type.RESTORED, resource, "", 0, Duration.ZERO, "restored resource '" + resource + "'");
        }
        return restored;
    }

    @Override
    public Optional<Binding> binding(String bindingName) {
        return scripts.binding(config.requireMemberName("bindingName", bindingName));
    }

    @Override
    public BindingPage bindings(@Nullable String cursor, int count) {
        return scripts.bindings(requireCursor(cursor), requirePageSize(count));
    }

    @Override
    public boolean unbind(String bindingName) {
        return scripts.unbind(config.requireMemberName("bindingName", bindingName));
    }

    @Override
    public PoolSnapshot snapshot(@Nullable String cursor, int count) {
        return scripts.snapshot(requireCursor(cursor), requirePageSize(count));
    }

    @Override
    public List<ResourceLease> heldLeases() {
        List<ResourceLease> now = new ArrayList<>();
        for (ResourceLease lease : held) {
            if (lease.isHeld()) {
                now.add(lease);
            }
        }
        return now;
    }

    @Override
    public void addListener(PoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    private void requireOwn(@Nullable ResourceLease lease) {
        if (lease == null) {
            throw new InvalidArgumentException(
                    "lease", null, "lease of " + config.describe() + " is null", "pass a " + "lease this pool granted");
        }
        if (lease.owningPool() != this) {
            throw new InvalidArgumentException(
                    "lease",
                    lease,
                    lease + " was granted by another pool instance than " + config.describe() + " of instance "
                            + instanceId,
                    "renew and release a lease through the pool that granted it");
        }
    }

    private String requireCursor(@Nullable String cursor) {
        if (cursor == null) {
            return "0";
        }
        if (!cursor.matches("[0-9]{1,20}")) {
            throw new InvalidArgumentException(
                    "cursor",
                    cursor,
                    "cursor '" + cursor + "' of " + config.describe() + " is not one a page returned",
                    "pass null for the first page, then the nextCursor of the previous page");
        }
        return cursor;
    }

    private int requirePageSize(int count) {
        Checks.requireBetween(
                "count", count, 1, 1000, config.describe(), "ask for 1 to 1000 entries per page, such as 100");
        return count;
    }

    private void lost(ResourceLease lease, String why) {
        if (!lease.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.LOST)) {
            return;
        }
        held.remove(lease);
        keeper.forget(lease);
        String message =
                "lost resource '" + lease.resource() + "' (fencing token " + lease.fencingToken() + "): " + why;
        log.warn("Pool '{}' {}; isHeld() is false from now on", name(), message);
        publish(PoolEvent.Type.LOST, lease.resource(), lease.owner(), lease.fencingToken(), Duration.ZERO, message);
    }

    private void publish(PoolEvent.Type type, String resource, String owner, long token, Duration waited, String text) {
        if (listeners.isEmpty()) {
            return;
        }
        PoolEvent event = new PoolEvent(type, name(), resource, owner, token, waited, text);
        for (PoolListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("A pool listener failed on {}", event, e);
            }
        }
    }

    /** The pool side of renewal: the rule itself is {@link LeaseKeeper}'s. */
    private final class Renewals implements LeaseKeeper.Renewer<ResourceLease> {

        @Override
        public LeaseClock clock(ResourceLease lease) {
            return lease.clock();
        }

        @Override
        public @Nullable String renew(ResourceLease lease) {
            PoolScripts.Renewal renewal = scripts.renew(
                    lease.owner(), lease.fencingToken(), lease.leaseTime().toMillis());
            if (!renewal.renewed()) {
                return refusal(renewal);
            }
            lease.expiresAt(Instant.ofEpochMilli(renewal.expiresAtMillis()));
            return null;
        }

        @Override
        public @Nullable String stopped(ResourceLease lease, long nowNanos) {
            return lease.autoRenew()
                    ? null
                    : "its lease time " + lease.leaseTime() + " ended (it is not renewed "
                            + "automatically: renew it, or acquire with autoRenew)";
        }

        @Override
        public void lost(ResourceLease lease, String why) {
            RedisResourcePool.this.lost(lease, why);
        }

        @Override
        public String describe(ResourceLease lease) {
            return "resource '" + lease.resource() + "' of pool '" + name() + "'";
        }
    }

    /**
     * One maintenance run: renews or takes the creator role; as creator, collects expired state and runs the health
     * check on quarantined resources.
     */
    private void maintain() {
        if (closed) {
            return;
        }
        try {
            boolean wasCreator = creator;
            creator =
                    scripts.creator(instanceId, 3 * config.maintenanceInterval().toMillis());
            if (creator != wasCreator) {
                log.info("Instance {} is {} creator of pool '{}'", instanceId, creator ? "now" : "no longer", name());
            }
            if (!creator) {
                return;
            }
            PoolScripts.Maintenance run = scripts.maintain(healthCheck == null ? 0 : HEALTH_CHECKS_PER_RUN);
            if (run.expiredLeases() > 0) {
                log.info(
                        "Pool '{}' collected {} expired lease(s) of holders that crashed or paused",
                        name(),
                        run.expiredLeases());
            }
            if (!run.quarantined().isEmpty()) {
                probe(run.quarantined());
            }
        } catch (IdAllocatorException e) {
            log.debug(
                    "Maintenance of pool '{}' failed; trying again in {}: {}",
                    name(),
                    config.maintenanceInterval(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Maintenance of pool '{}' failed unexpectedly", name(), e);
        }
    }

    /**
     * Runs the health check on {@code quarantined} resources (name, metadata) at once, all bounded by one {@link
     * PoolConfig#healthCheckTimeout()}, and restores those that pass; a probe that fails, throws or is late leaves its
     * resource quarantined.
     */
    private void probe(List<String[]> quarantined) {
        ResourceHealthCheck check = Objects.requireNonNull(healthCheck);
        ExecutorService executor = Objects.requireNonNull(healthChecks);
        List<Future<Boolean>> results = new ArrayList<>(quarantined.size());
        for (String[] resource : quarantined) {
            results.add(executor.submit(() -> check.isHealthy(resource[0], resource[1])));
        }
        long deadline = System.nanoTime() + config.healthCheckTimeout().toNanos();
        for (int i = 0; i < results.size(); i++) {
            String resource = quarantined.get(i)[0];
            Future<Boolean> result = results.get(i);
            boolean healthy;
            try {
                healthy = result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                results.forEach(r -> r.cancel(true));
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                result.cancel(true);
                log.debug("Health check of resource '{}' of pool '{}' failed: {}", resource, name(), e.toString());
                continue;
            }
            if (healthy && scripts.restore(resource)) {
                log.info("Restored resource '{}' of pool '{}': it passed its health check", resource, name());
                publish(
                        PoolEvent.Type.RESTORED,
                        resource,
                        "",
                        0,
                        Duration.ZERO,
                        "restored resource '" + resource + "': it passed its health check");
            }
        }
    }

    /**
     * Releases this instance's held leases (as far as Redis answers), gives up the creator role and stops the
     * renewal, maintenance and wake-up threads.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.cancel(false);
        for (ResourceLease lease : List.copyOf(held)) {
            try {
                release(lease);
            } catch (IdAllocatorException e) {
                log.warn(
                        "Could not release resource '{}' of pool '{}' on close; it expires within {}: {}",
                        lease.resource(),
                        name(),
                        lease.leaseTime(),
                        e.getMessage());
            }
        }
        if (creator) {
            try {
                scripts.creator(instanceId, 0);
            } catch (IdAllocatorException e) {
                log.debug("Could not give up the creator role of pool '{}': {}", name(), e.getMessage());
            }
            creator = false;
        }
        keeper.close();
        wakeups.close();
        if (healthChecks != null) {
            healthChecks.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "RedisResourcePool[" + name() + ", instance " + instanceId + "]";
    }
}
