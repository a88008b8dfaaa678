package io.github.idallocator.lock;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.internal.LeaseKeeper;
import io.github.idallocator.internal.ReleaseWakeups;
import io.github.idallocator.range.InstanceIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link LockService} on Redis: one hash per lock, changed only by one atomic script per operation (acquire, renew,
 * release; 1 round trip each). Held leases are renewed every third of their lease time by a scheduler of the service's
 * own (two daemon threads); {@link #close()} stops it and releases the leases still held.
 */
public final class RedisLockService implements LockService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLockService.class);

    private static final AtomicInteger SERVICES = new AtomicInteger();

    /**
     * How often a lost wake-up subscription is tried again: waiters poll meanwhile, and Spring Data Redis logs each
     * failed attempt as an error, so not more often than this.
     */
    private static final long SUBSCRIPTION_RECOVERY_MILLIS = 5_000;

    private final LockConfig config;
    private final String instanceId;
    private final LockScripts scripts;
    private final ReleaseWakeups wakeups;
    private final LeaseKeeper<LockLease> renewals;
    private final long pollBoundNanos;
    private final long maxHoldNanos;
    private final AtomicLong acquisitions = new AtomicLong();
    private final Set<LockLease> held = ConcurrentHashMap.newKeySet();
    private final Map<String, ThreadOwnedLock.Hold> holds = new ConcurrentHashMap<>();
    private final List<LockListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private RedisLockService(RedisConnectionFactory connectionFactory, LockConfig config, String instanceId) {
        this.config = config;
        this.instanceId = InstanceIds.require(instanceId);
        this.scripts = new LockScripts(new StringRedisTemplate(connectionFactory), config);
        this.wakeups = new ReleaseWakeups(
                connectionFactory, scripts.channel(), SUBSCRIPTION_RECOVERY_MILLIS, "idallocator-lock");
        this.pollBoundNanos = config.waitPollBound().toNanos();
        this.maxHoldNanos = config.maxHoldTime().toNanos();
        int number = SERVICES.incrementAndGet();
        this.renewals =
                new LeaseKeeper<>("idallocator-lock-renewal-" + config.namespace() + "-" + number, new Renewals());
    }

    /** The locks of {@code config}'s namespace, owned by a generated instance id (host name, pid, random suffix). */
    public static RedisLockService create(RedisConnectionFactory connectionFactory, LockConfig config) {
        return create(connectionFactory, config, InstanceIds.generate());
    }

    /**
     * The locks of {@code config}'s namespace, owned by {@code instanceId}: each lease's owner id is the instance id
     * followed by {@code :} and a counter.
     *
     * @throws InvalidArgumentException for an invalid instance id
     */
    public static RedisLockService create(
            RedisConnectionFactory connectionFactory, LockConfig config, String instanceId) {
        return new RedisLockService(connectionFactory, config, instanceId);
    }

    /** The instance id that starts every owner id of this service. */
    public String instanceId() {
        return instanceId;
    }

    @Override
    public LockConfig config() {
        return config;
    }

    @Override
    public Optional<LockLease> tryAcquire(String name, Duration waitTimeout, Duration leaseTime) {
        LockConfig.requireLockName(name, config.namespace());
        String owner = "lock namespace '" + config.namespace() + "'";
        Checks.requireBetween(
                "waitTimeout",
                waitTimeout,
                Duration.ZERO,
                LockConfig.MAX_WAIT_TIMEOUT,
                owner,
                "use zero (one attempt) or a positive wait");
        long leaseMillis = LockConfig.requireLeaseTime("leaseTime", leaseTime, owner);
        try {
            return Optional.ofNullable(attempt(name, waitTimeout.toNanos(), leaseMillis, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdAllocatorException(
                    "Interrupted while waiting for lock '" + name + "' of " + owner + "; the lock was not acquired");
        }
    }

    @Override
    public Lock asLock(String name) {
        return new ThreadOwnedLock(this, LockConfig.requireLockName(name, config.namespace()));
    }

    @Override
    public List<LockLease> heldLocks() {
        List<LockLease> now = new ArrayList<>();
        for (LockLease lease : held) {
            if (lease.isHeld()) {
                now.add(lease);
            }
        }
        return now;
    }

    @Override
    public void addListener(LockListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LockListener listener) {
        listeners.remove(listener);
    }

    Map<String, ThreadOwnedLock.Hold> holds() {
        return holds;
    }

    /**
     * Acquires lock {@code name} (already validated), waiting up to {@code waitNanos} (negative: without limit).
     *
     * @param holder the thread that owns the lease ({@link Lock} adapter; renewal stops when it ends), or null
     * @return the lease, or null when the wait ended first
     */
    @Nullable
    LockLease attempt(String name, long waitNanos, long leaseMillis, @Nullable Thread holder)
            throws InterruptedException {
        if (closed) {
            throw new IdAllocatorException("Lock service of namespace '" + config.namespace() + "' is closed");
        }
        String owner = instanceId + ":" + acquisitions.incrementAndGet();
        long start = System.nanoTime();
        ReleaseWakeups.Signal signal = waitNanos == 0 ? null : wakeups.register(name);
        boolean refused = false;
        try {
            while (true) {
                long seen = signal == null ? 0 : signal.seen();
                long sent = System.nanoTime();
                LockScripts.Grant grant = acquireOnce(name, owner, leaseMillis, signal != null);
                if (grant.granted()) {
                    return granted(name, owner, grant.token(), leaseMillis, sent, refused ? sent - start : 0, holder);
                }
                refused = true;
                if (signal == null) {
                    return null;
                }
                long left = waitNanos < 0 ? Long.MAX_VALUE : start + waitNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                long holderLeft = TimeUnit.MILLISECONDS.toNanos(Math.max(1, grant.holderMillisLeft() + 1));
                long jitter = ThreadLocalRandom.current().nextLong(pollBoundNanos / 10 + 1);
                signal.await(seen, Math.min(left, Math.min(holderLeft, pollBoundNanos - jitter)));
            }
        } finally {
            if (signal != null) {
                wakeups.unregister(name);
            }
        }
    }

    /**
     * One acquire script. When its reply is lost (Redis unavailable), the grant it may have made is released as far as
     * Redis answers, so that the lock is not held by an owner nobody knows until its lease ends.
     */
    private LockScripts.Grant acquireOnce(String name, String owner, long leaseMillis, boolean waits) {
        try {
            return scripts.acquire(name, owner, leaseMillis, waits);
        } catch (ReplicaAckException e) {
            throw e;
        } catch (RedisUnavailableException e) {
            try {
                scripts.release(name, owner, "");
            } catch (IdAllocatorException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

    private LockLease granted(
            String name,
            String owner,
            long token,
            long leaseMillis,
            long sentNanos,
            long waitedNanos,
            @Nullable Thread holder) {
        LockLease lease = new LockLease(this, name, owner, token, leaseMillis, sentNanos, waitedNanos, holder);
        held.add(lease);
        renewals.renewFrom(lease, sentNanos);
        log.debug(
                "Acquired lock '{}' of namespace '{}' as {} with fencing token {}",
                name,
                config.namespace(),
                owner,
                token);
        publish(lease, LockEvent.Type.ACQUIRED, "acquired lock '" + name + "' with fencing token " + token);
        return lease;
    }

    /** The lock side of renewal: the rule itself is {@link LeaseKeeper}'s. */
    private final class Renewals implements LeaseKeeper.Renewer<LockLease> {

        @Override
        public LeaseClock clock(LockLease lease) {
            return lease.clock();
        }

        @Override
        public @Nullable String renew(LockLease lease) {
            LockScripts.Renewal renewal = scripts.renew(
                    lease.name(),
                    lease.owner(),
                    lease.fencingToken(),
                    lease.leaseTime().toMillis());
            if (renewal.renewed()) {
                return null;
            }
            return renewal.holderToken() < 0
                    ? "Redis no longer holds it (it expired, or Redis lost it)"
                    : "another owner holds it under fencing token " + renewal.holderToken();
        }

        @Override
        public @Nullable String stopped(LockLease lease, long nowNanos) {
            Thread holder = lease.holderThread();
            if (holder != null && !holder.isAlive()) {
                return "its holding thread " + holder.getName() + " ended without unlocking it, so it was not renewed";
            }
            if (maxHoldNanos > 0 && nowNanos - lease.acquiredNanos() >= maxHoldNanos) {
                return "it was held longer than maxHoldTime " + config.maxHoldTime() + ", so it was not renewed";
            }
            return null;
        }

        @Override
        public void lost(LockLease lease, String why) {
            RedisLockService.this.lost(lease, why);
        }

        @Override
        public String describe(LockLease lease) {
            return "lock '" + lease.name() + "' of namespace '" + config.namespace() + "'";
        }
    }

    private void lost(LockLease lease, String why) {
        if (!lease.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.LOST)) {
            return;
        }
        held.remove(lease);
        renewals.forget(lease);
        Thread holder = lease.holderThread();
        if (holder != null && !holder.isAlive()) {
            holds.computeIfPresent(lease.name(), (name, hold) -> hold.lease == lease ? null : hold);
        }
        String message = "lost lock '" + lease.name() + "' (fencing token " + lease.fencingToken() + "): " + why;
        log.warn("Lock namespace '{}' {}; isHeld() is false from now on", config.namespace(), message);
        publish(lease, LockEvent.Type.LOST, message);
    }

    /** {@link LockLease#release()}: stops renewal, then runs the release script. */
    ReleaseOutcome release(LockLease lease) {
        lease.clock().changeState(LeaseClock.State.HELD, LeaseClock.State.RELEASING);
        held.remove(lease);
        renewals.forget(lease);
        LockScripts.Release released =
                scripts.release(lease.name(), lease.owner(), Long.toString(lease.fencingToken()));
        lease.outcome(released.outcome());
        wakeups.wake(lease.name());
        if (released.outcome() == ReleaseOutcome.RELEASED) {
            log.debug(
                    "Released lock '{}' of namespace '{}' (fencing token {})",
                    lease.name(),
                    config.namespace(),
                    lease.fencingToken());
            publish(lease, LockEvent.Type.RELEASED, "released lock '" + lease.name() + "'");
        } else if (lease.clock().changeState(LeaseClock.State.RELEASING, LeaseClock.State.LOST)) {
            String message = "lost lock '" + lease.name() + "' (fencing token " + lease.fencingToken()
                    + ") before it was released: "
                    + (released.outcome() == ReleaseOutcome.HELD_BY_OTHER
                            ? "another owner holds it under fencing token " + released.holderToken()
                            : "its lease had expired");
            log.warn("Lock namespace '{}' {}", config.namespace(), message);
            publish(lease, LockEvent.Type.LOST, message);
        }
        return released.outcome();
    }

    private void publish(LockLease lease, LockEvent.Type type, String message) {
        if (listeners.isEmpty()) {
            return;
        }
        LockEvent event = new LockEvent(
                type,
                config.namespace(),
                lease.name(),
                lease.owner(),
                lease.fencingToken(),
                type == LockEvent.Type.ACQUIRED ? lease.waited() : Duration.ZERO,
                message);
        for (LockListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("A lock listener failed on {}", event, e);
            }
        }
    }

    /** Stops renewal and the wake-up subscription, and releases the leases still held (as far as Redis answers). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LockLease lease : List.copyOf(held)) {
            try {
                lease.release();
            } catch (IdAllocatorException e) {
                log.warn(
                        "Could not release lock '{}' of namespace '{}' on close; it expires within {}: {}",
                        lease.name(),
                        config.namespace(),
                        lease.leaseTime(),
                        e.getMessage());
            }
        }
        renewals.close();
        wakeups.close();
    }

    @Override
    public String toString() {
        return "RedisLockService[" + config.namespace() + ", instance " + instanceId + "]";
    }
}
