package io.github.idallocator.range;

import io.github.idallocator.range.RangeReplies.HeartbeatReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The creator role of one instance of a {@link RedisIdAllocator}: the creator lease in Redis ({@code
 * creator_heartbeat.lua}, {@code creator_release.lua}), this instance's view of its role by the local monotonic clock,
 * and the role listeners.
 */
final class RedisCreatorElection implements CreatorElection {

    /** Logs under {@link RedisIdAllocator}: the role is part of what the allocator reports. */
    private static final Logger log = LoggerFactory.getLogger(RedisIdAllocator.class);

    private final RangeScripts scripts;
    private final String name;
    private final String instanceId;
    private final Duration creatorTtl;
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<AllocatorRecreation>> recreationListeners = new CopyOnWriteArrayList<>();
    /** When the allocator's state this instance last saw in Redis was created (server ms); 0 before the first. */
    private final AtomicLong knownBornMs = new AtomicLong();

    private final Duration recoveryPeriod;
    private final AtomicLong creatorUntilNanos = new AtomicLong();
    private final Object roleLock = new Object();
    private volatile boolean creatorClaimed;
    private long releases;
    private volatile Role lastReportedRole = Role.CONSUMER;
    /** Whether the first heartbeat (the one of attaching) is over. */
    private volatile boolean attached;

    RedisCreatorElection(RangeScripts scripts, IdAllocatorConfig config, String instanceId) {
        this.scripts = scripts;
        this.name = config.name();
        this.instanceId = instanceId;
        this.creatorTtl = config.creatorTtl();
        this.recoveryPeriod = config.recoveryPeriod();
    }

    @Override
    public Role role() {
        return creatorClaimed && System.nanoTime() - creatorUntilNanos.get() < 0 ? Role.CREATOR : Role.CONSUMER;
    }

    @Override
    public Role heartbeat() {
        long sent = System.nanoTime();
        long ttlMs = creatorTtl.toMillis();
        long releasesBefore;
        synchronized (roleLock) {
            releasesBefore = releases;
        }
        try {
            HeartbeatReply reply = scripts.creatorHeartbeat(instanceId, ttlMs);
            boolean creator = reply.creator();
            noticeBirth(reply.bornMs());
            synchronized (roleLock) {
                if (releases != releasesBefore) {
                    return role();
                }
                if (creator) {
                    creatorUntilNanos.set(sent + Duration.ofMillis(ttlMs).toNanos());
                    creatorClaimed = true;
                } else {
                    creatorClaimed = false;
                }
            }
        } finally {
            reportRole();
            attached = true;
        }
        return role();
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void addRecreationListener(Consumer<AllocatorRecreation> listener) {
        recreationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void releaseCreatorRole() {
        synchronized (roleLock) {
            releases++;
            creatorClaimed = false;
        }
        try {
            if (scripts.creatorRelease(instanceId)) {
                log.info("Released the creator role of allocator '{}' (instance {})", name, instanceId);
            }
        } finally {
            reportRole();
        }
    }

    /**
     * Compares the creation time of the allocator's state with the one seen before: a later one means Redis lost the
     * state and a script recreated it.
     */
    private void noticeBirth(long bornMs) {
        long previous = knownBornMs.getAndSet(bornMs);
        if (previous == 0 || bornMs == 0 || previous == bornMs) {
            return;
        }
        AllocatorRecreation recreation = new AllocatorRecreation(
                name, Instant.ofEpochMilli(bornMs), Instant.ofEpochMilli(previous), recoveryPeriod);
        log.warn(
                "Allocator '{}' was recreated in Redis at {} (the state this instance knew was created at {}): Redis "
                        + "lost its data, and the leases handed out before are gone. {}",
                name,
                recreation.createdAt(),
                recreation.previouslyCreatedAt(),
                recoveryPeriod.isZero()
                        ? "Its recovery period is 0, so ids that live holders still use may be handed out again."
                        : "New leases wait for its recovery period " + recoveryPeriod
                                + ", while live holders re-register theirs by extending them.");
        for (Consumer<AllocatorRecreation> listener : recreationListeners) {
            try {
                listener.accept(recreation);
            } catch (RuntimeException e) {
                log.warn("Recreation listener {} of allocator '{}' failed", listener, name, e);
            }
        }
    }

    private void reportRole() {
        Role current = role();
        Role previous;
        synchronized (listeners) {
            previous = lastReportedRole;
            if (previous == current) {
                return;
            }
            lastReportedRole = current;
        }
        if (attached) {
            log.info("Instance {} is now {} of allocator '{}' (was {})", instanceId, current, name, previous);
        } else {
            // the first heartbeat is attaching's, which logs the role itself
            log.debug("Instance {} is {} of allocator '{}'", instanceId, current, name);
        }
        for (RoleListener listener : listeners) {
            try {
                listener.roleChanged(name, previous, current);
            } catch (RuntimeException e) {
                log.warn("Role listener {} of allocator '{}' failed", listener, name, e);
            }
        }
    }
}
