package io.github.idallocator.snowflake;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.range.IdAllocator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SnowflakeIdGenerator} supplied with a worker id claimed from a {@link WorkerIdStore}: by default a
 * range allocator over the worker ids in Redis ({@link RedisWorkerIdStore}). Everything below is the same for every
 * store.
 *
 * <ul>
 *   <li><b>Acquire</b> in one claim: the previous worker id if it is still free, else another free one. The
 *       claim's note carries the latest timestamp its previous holder could have used; the generator issues no id until
 *       its clock is past it (waiting at most {@code maxHandoverWait}, else taking another worker id).
 *   <li><b>Renew</b> every {@code heartbeatInterval}, storing with the worker id the latest timestamp this holder may
 *       use before its lease ends. Each confirmed renewal moves the generator's deadline to the lease's local end minus
 *       the safety margin; without one the generator stops issuing ids (self-fencing) and a {@code LOST} event is
 *       published. The next renewal tries to re-acquire.
 *   <li><b>Release</b> on {@link #close()}: frees the worker id with the last issued timestamp, so the next pod may
 *       take it at once.
 * </ul>
 */
public final class WorkerIdLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);
    private static final int ACQUIRE_ATTEMPTS = 3;

    private final WorkerIdStore store;
    private final SnowflakeIdGenerator generator;
    private final WorkerLeaseSettings settings;
    private final LongSupplier wallClockMillis;
    private final List<WorkerLeaseListener> listeners = new CopyOnWriteArrayList<>();
    private volatile @Nullable WorkerClaim claim;
    private long previousWorkerId = -1;
    private volatile long lastRenewalNanos;
    private boolean lostReported;
    private @Nullable ScheduledFuture<?> renewals;

    /**
     * A lease over a range allocator of worker ids: the same as {@code new WorkerIdLease(new
     * RedisWorkerIdStore(workers), generator, settings, wallClockMillis)}, and warns when the allocator's recovery period
     * is shorter than the lease time.
     *
     * @param workers the range allocator of worker ids (its range must fit the generator's worker bits)
     * @param generator the generator to supply
     * @param settings lease timing
     * @param wallClockMillis the same wall clock the generator uses (epoch milliseconds)
     * @throws InvalidArgumentException when the allocator's range does not fit the generator's worker bits ({@link
     *     SnowflakeLayout#requireWorkerIdRange(long, long)})
     */
    public WorkerIdLease(
            IdAllocator workers,
            SnowflakeIdGenerator generator,
            WorkerLeaseSettings settings,
            LongSupplier wallClockMillis) {
        this(new RedisWorkerIdStore(Objects.requireNonNull(workers, "workers")), generator, settings, wallClockMillis);
    }

    /**
     * A lease over any store of worker ids.
     *
     * @param store where the worker ids are claimed (its range must fit the generator's worker bits)
     * @param generator the generator to supply
     * @param settings lease timing
     * @param wallClockMillis the same wall clock the generator uses (epoch milliseconds)
     * @throws InvalidArgumentException when the store's range does not fit the generator's worker bits ({@link
     *     SnowflakeLayout#requireWorkerIdRange(long, long)})
     */
    public WorkerIdLease(
            WorkerIdStore store,
            SnowflakeIdGenerator generator,
            WorkerLeaseSettings settings,
            LongSupplier wallClockMillis) {
        this.store = Objects.requireNonNull(store, "store");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
        generator.layout().requireWorkerIdRange(store.minId(), store.maxId());
        if (store instanceof RedisWorkerIdStore redis) {
            redis.warnIfRecoveryShorterThan(settings.ttl());
        }
    }

    /** The store the worker ids are claimed from. */
    public WorkerIdStore store() {
        return store;
    }

    /** Registers a listener for lease events. */
    public void addListener(WorkerLeaseListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Leases a worker id now and grants it to the generator. Blocks for at most the handover wait, or, while Redis is
     * recovering the worker-id allocator's lost state ({@link RecoveringException}), for at most its recovery period.
     */
    public synchronized void acquire() {
        IdAllocatorException last = null;
        long recoveryDeadline = System.nanoTime()
                + store.recoveryPeriod().plus(settings.heartbeatInterval()).toNanos();
        for (int attempt = 1; attempt <= ACQUIRE_ATTEMPTS; attempt++) {
            try {
                if (tryAcquire()) {
                    return;
                }
            } catch (RecoveringException e) {
                awaitRecovery(e, recoveryDeadline);
                attempt--;
            } catch (IdsExhaustedException e) {
                throw new IdsExhaustedException("No Snowflake worker id is free in " + store.name() + " ["
                        + store.minId() + ", " + store.maxId() + "]: every one is leased by a "
                        + "running instance. Widen the worker-id range or the layout's worker bits.");
            } catch (RedisUnavailableException e) {
                throw e;
            } catch (IdAllocatorException e) {
                last = e;
            }
        }
        throw last != null
                ? last
                : new WorkerIdUnavailableException("Could not lease a Snowflake worker id whose previous holder's "
                        + "timestamps lie within " + settings.maxHandoverWait() + " of this clock after "
                        + ACQUIRE_ATTEMPTS + " attempts: every free worker id of " + store.name() + " was last used "
                        + "with later timestamps (a host whose clock ran ahead). Retry later (it passes with time), "
                        + "check the clocks of your hosts (NTP), or raise maxHandoverWait.");
    }

    /** Waits until Redis's recovery period should be over; gives up at {@code deadlineNanos}. */
    private void awaitRecovery(RecoveringException e, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw e;
        }
        long wait = Math.min(remaining, Math.max(e.retryAfter().toNanos(), TimeUnit.MILLISECONDS.toNanos(10)));
        log.info(
                "Worker-id allocator {} was recreated in Redis (new, or Redis lost data) less than its recovery "
                        + "period {} ago: waiting {} ms so that holders still alive can re-register their worker ids",
                store.name(),
                store.recoveryPeriod(),
                TimeUnit.NANOSECONDS.toMillis(wait));
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Starts renewing on the given scheduler (the caller's to shut down). Acquires first when needed. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (claim == null) {
            acquire();
        }
        scheduleRenewals(scheduler);
    }

    /**
     * Renews now on the calling thread (which leases a worker id when none is held), then every heartbeat interval on
     * the given scheduler (the caller's to shut down). Unlike {@link #start(ScheduledExecutorService)} it never throws
     * for Redis: a failed renewal or acquisition is logged and tried again at the next interval, so a holder that must
     * keep running while Redis is away (an application starting up) starts anyway and gets its worker id once Redis
     * answers.
     */
    public synchronized void startQuietly(ScheduledExecutorService scheduler) {
        renewQuietly();
        scheduleRenewals(scheduler);
    }

    private void scheduleRenewals(ScheduledExecutorService scheduler) {
        long interval = settings.heartbeatInterval().toMillis();
        renewals = scheduler.scheduleWithFixedDelay(this::renewQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * The leased worker id, or -1 while no valid lease is held: before the first, after release, and once the lease
     * could not be renewed in time (the generator refuses ids; the lost claim is still in {@link #claim()} until it is
     * renewed or replaced). Never waits for a renewal in flight.
     */
    public long workerId() {
        WorkerClaim current = claim;
        return current == null || !generator.isGranted() ? -1 : current.workerId();
    }

    /**
     * The current claim of a worker id, if any, also when it could not be renewed in time (the next renewal tries it
     * first). Never waits for a renewal in flight.
     */
    public @Nullable WorkerClaim claim() {
        return claim;
    }

    /** {@link System#nanoTime()} of the last confirmed acquisition or renewal; 0 before the first. */
    public long lastRenewalNanos() {
        return lastRenewalNanos;
    }

    /** One renewal now (what the schedule runs); re-acquires when the lease is gone. */
    public synchronized void renew() {
        WorkerClaim current = claim;
        if (current == null) {
            acquire();
            return;
        }
        long sent = System.nanoTime();
        long latest = latestUsableMillis();
        try {
            WorkerClaim renewed = store.renew(current, settings.ttl(), note(latest));
            claim = renewed;
            grant(renewed, sent, latest);
        } catch (NotOwnerException e) {
            claim = null;
            generator.revoke();
            reportLost("Worker id " + current.workerId() + " is no longer ours (" + e.getMessage() + "); re-acquiring");
            acquire();
        } catch (IdAllocatorException e) {
            if (!generator.isGranted()) {
                reportLost("Worker id " + current.workerId() + " could not be renewed before its local deadline: "
                        + e.getMessage());
            }
            throw e;
        }
    }

    /** Stops renewing, frees the worker id with the last issued timestamp, and withdraws the generator's grant. */
    @Override
    public synchronized void close() {
        if (renewals != null) {
            renewals.cancel(false);
            renewals = null;
        }
        WorkerClaim current = claim;
        generator.revoke();
        claim = null;
        if (current == null) {
            return;
        }
        long lastIssued = Math.max(generator.lastIssuedMillis(), 0);
        try {
            if (store.release(current, note(lastIssued))) {
                publish(new WorkerLeaseEvent(
                        WorkerLeaseEvent.Type.RELEASED,
                        current.workerId(),
                        "Released Snowflake worker id " + current.workerId()));
            } else {
                log.warn(
                        "Snowflake worker id {} was no longer ours when released: its claim had expired or another "
                                + "instance holds it",
                        current.workerId());
            }
        } catch (IdAllocatorException e) {
            log.warn(
                    "Could not release Snowflake worker id {}; it expires by itself: {}",
                    current.workerId(),
                    e.getMessage());
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (IdAllocatorException e) {
            log.warn(
                    "Renewal of the Snowflake worker-id lease failed; retrying in {}: {}",
                    settings.heartbeatInterval(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error("Renewal of the Snowflake worker-id lease failed unexpectedly", e);
        }
    }

    /** One acquisition attempt; false when the predecessor's timestamps lie too far ahead of this clock. */
    private boolean tryAcquire() {
        long latest = latestUsableMillis();
        String note = note(latest);
        long sent = System.nanoTime();
        WorkerClaim candidate = store.claim(previousWorkerId, settings.ttl(), note);
        long predecessor = predecessorMillis(candidate.previousNote());
        long aheadMillis = predecessor - wallClockMillis.getAsLong();
        if (aheadMillis > settings.maxHandoverWait().toMillis()) {
            WorkerClaim other = store.claimAnother(settings.ttl(), note);
            giveBack(candidate);
            if (other == null) {
                return false;
            }
            candidate = other;
            predecessor = predecessorMillis(candidate.previousNote());
            aheadMillis = predecessor - wallClockMillis.getAsLong();
            if (aheadMillis > settings.maxHandoverWait().toMillis()) {
                giveBack(candidate);
                return false;
            }
        }
        Held waited = waitUntilPast(predecessor, new Held(candidate, latest));
        candidate = waited.claim();
        latest = waited.latestMillis();
        generator.issueAfter(predecessor);
        claim = candidate;
        previousWorkerId = candidate.workerId();
        grant(candidate, sent, latest);
        lostReported = false;
        publish(new WorkerLeaseEvent(
                WorkerLeaseEvent.Type.ACQUIRED,
                candidate.workerId(),
                "Leased Snowflake worker id " + candidate.workerId() + " from " + store.name()
                        + (predecessor >= 0 ? " (predecessor's last timestamp " + predecessor + ")" : "")));
        return true;
    }

    /** Releases a claim we will not use, restoring its predecessor's note for the next holder. */
    private void giveBack(WorkerClaim unused) {
        store.release(unused, unused.previousNote());
        log.info(
                "Skipped Snowflake worker id {}: its previous holder's timestamps run more than {} ahead of this clock",
                unused.workerId(),
                settings.maxHandoverWait());
    }

    /**
     * Grants the held worker id to the generator until the lease's local deadline less the safety margin, for ids with
     * timestamps up to {@code latestMillis}: the note stored with the worker id for its next holder.
     */
    private void grant(WorkerClaim held, long sentNanos, long latestMillis) {
        long deadline = held.localDeadlineNanos() - settings.safetyMargin().toNanos();
        if (held.expiresAt() == null) {
            generator.grant(held.workerId(), deadline, false);
        } else {
            generator.grant(held.workerId(), deadline, latestMillis);
        }
        lastRenewalNanos = sentNanos;
    }

    /**
     * The latest timestamp this holder may use, stored as the worker id's note: now plus the lease time, but never
     * below a timestamp already issued or allowed by the current grant, whatever the wall clock did (a clock stepped
     * back must not make the note lie to the next holder).
     */
    private long latestUsableMillis() {
        long latest = wallClockMillis.getAsLong() + settings.ttl().toMillis();
        long granted = generator.latestGrantedMillis();
        if (granted != Long.MAX_VALUE) {
            latest = Math.max(latest, granted);
        }
        return Math.max(latest, generator.lastIssuedMillis());
    }

    /**
     * Waits until this clock is past the previous holder's last timestamp, renewing the lease every heartbeat interval
     * meanwhile (a wait longer than the lease time must not let it lapse); returns the lease as last renewed.
     */
    private Held waitUntilPast(long millis, Held held) {
        Held current = held;
        long renewEvery = settings.heartbeatInterval().toNanos();
        long nextRenewal = System.nanoTime() + renewEvery;
        while (wallClockMillis.getAsLong() <= millis) {
            if (System.nanoTime() - nextRenewal >= 0) {
                long latest = Math.max(latestUsableMillis(), current.latestMillis());
                current = new Held(store.renew(current.claim(), settings.ttl(), note(latest)), latest);
                nextRenewal = System.nanoTime() + renewEvery;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IdAllocatorException(
                        "Interrupted while waiting for the clock to pass the previous holder's last timestamp");
            }
        }
        return current;
    }

    /** A claim and the latest timestamp its stored note allows. */
    private record Held(WorkerClaim claim, long latestMillis) {}

    private void reportLost(String message) {
        if (!lostReported) {
            lostReported = true;
            log.warn(message);
            publish(new WorkerLeaseEvent(WorkerLeaseEvent.Type.LOST, previousWorkerId, message));
        }
    }

    private void publish(WorkerLeaseEvent event) {
        if (event.type() == WorkerLeaseEvent.Type.ACQUIRED) {
            log.info(event.message());
        }
        for (WorkerLeaseListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Worker lease listener {} failed", listener, e);
            }
        }
    }

    /** The note stored with the worker id: {@code "<epoch millis> <instance id>"}. */
    private String note(long millis) {
        return millis + " " + store.instanceId();
    }

    /**
     * The latest timestamp a previous holder may have used, from its note; -1 when there is none or the previous holder
     * is this instance (the generator's own state already keeps its ids increasing).
     */
    private long predecessorMillis(@Nullable String note) {
        if (note == null) {
            return -1;
        }
        int space = note.indexOf(' ');
        String holder = space < 0 ? "" : note.substring(space + 1);
        if (holder.equals(store.instanceId())) {
            return -1;
        }
        try {
            return Long.parseLong(space < 0 ? note : note.substring(0, space));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The lease time, for callers that show it. */
    public Duration ttl() {
        return settings.ttl();
    }
}
