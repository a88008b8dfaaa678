package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.snowflake.RedisWorkerIdStore;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * This application's Snowflake worker: the {@link SnowflakeIdGenerator} bean, the {@link WorkerIdLease} that supplies
 * it with a worker id, and the store the worker ids are claimed from: the range allocator on Redis (backend {@value
 * #REDIS_BACKEND}), or another {@link WorkerIdStore} such as etcd's (backend {@value #ETCD_BACKEND}).
 *
 * <p>Creating it leases a worker id at once (one round trip or a few, plus at most the handover wait), so the generator
 * issues ids as soon as it can be injected; start-up fails when no worker id can be leased. {@link
 * IdAllocatorLifecycle} has the lease renew itself on the lifecycle's private scheduler and releases it on shutdown,
 * before Redis stops, so the worker id is free for the next instance at once.
 *
 * <p>Every {@link WorkerLeaseEvent} is published as a {@link SnowflakeWorkerLeaseEvent}. Events that happen while the
 * application context is still being created (the first {@code ACQUIRED}) are held back until the lifecycle starts,
 * so that {@code @EventListener} methods receive them too.
 */
public final class SnowflakeWorker {

    private static final Logger log = LoggerFactory.getLogger(SnowflakeWorker.class);

    /** The backend of worker ids from a Redis range allocator. */
    public static final String REDIS_BACKEND = "redis";

    /** The backend of worker ids from etcd. */
    public static final String ETCD_BACKEND = "etcd";

    private final SnowflakeIdGenerator generator;
    private final @Nullable IdAllocator workers;
    private final WorkerIdStore store;
    private final String backend;
    private final WorkerLeaseSettings settings;
    private final WorkerIdLease lease;
    private final HeldBackEvents events;

    /**
     * Creates the worker and leases a worker id for the generator.
     *
     * @param generator the generator to supply (without a grant yet)
     * @param workers the range allocator of worker ids; its range must fit the generator's worker bits
     * @param settings the timing of the lease
     * @param wallClockMillis the wall clock the generator uses, in epoch milliseconds
     * @param publisher where lease events are published
     * @throws IdAllocatorStartupException when no worker id can be leased
     */
    public SnowflakeWorker(
            SnowflakeIdGenerator generator,
            IdAllocator workers,
            WorkerLeaseSettings settings,
            LongSupplier wallClockMillis,
            ApplicationEventPublisher publisher) {
        this(
                generator,
                Objects.requireNonNull(workers, "workers"),
                new RedisWorkerIdStore(workers),
                REDIS_BACKEND,
                settings,
                wallClockMillis,
                publisher);
    }

    /**
     * Creates the worker over any store of worker ids and leases a worker id for the generator.
     *
     * @param generator the generator to supply (without a grant yet)
     * @param store where the worker ids are claimed; its range must fit the generator's worker bits
     * @param backend what the store is, shown by health and the endpoints, such as {@value #ETCD_BACKEND}
     * @param settings the timing of the lease
     * @param wallClockMillis the wall clock the generator uses, in epoch milliseconds
     * @param publisher where lease events are published
     * @throws IdAllocatorStartupException when no worker id can be claimed
     */
    public SnowflakeWorker(
            SnowflakeIdGenerator generator,
            WorkerIdStore store,
            String backend,
            WorkerLeaseSettings settings,
            LongSupplier wallClockMillis,
            ApplicationEventPublisher publisher) {
        this(generator, null, store, backend, settings, wallClockMillis, publisher);
    }

    private SnowflakeWorker(
            SnowflakeIdGenerator generator,
            @Nullable IdAllocator workers,
            WorkerIdStore store,
            String backend,
            WorkerLeaseSettings settings,
            LongSupplier wallClockMillis,
            ApplicationEventPublisher publisher) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.workers = workers;
        this.store = Objects.requireNonNull(store, "store");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = new HeldBackEvents(publisher);
        this.lease = new WorkerIdLease(store, generator, settings, wallClockMillis);
        this.lease.addListener(this::publish);
        try {
            lease.acquire();
        } catch (IdAllocatorException e) {
            throw workers != null
                    ? IdAllocatorStartupException.snowflake(workers.name(), e)
                    : IdAllocatorStartupException.snowflakeEtcd(store.name(), e);
        }
    }

    /** The generator, supplied with this worker's leased worker id. */
    public SnowflakeIdGenerator generator() {
        return generator;
    }

    /**
     * The lease that supplies the generator with its worker id. Its accessors never wait for a renewal in flight, so
     * health checks and scrapes may read it while a renewal hangs on Redis; renewing and releasing are the lifecycle's.
     */
    public WorkerIdLease lease() {
        return lease;
    }

    /**
     * The range allocator the worker ids are leased from with the {@value #REDIS_BACKEND} backend; {@code null} when
     * they come from another store ({@link #store()}).
     */
    public @Nullable IdAllocator workerAllocator() {
        return workers;
    }

    /** The store the worker ids are claimed from; its {@link WorkerIdStore#name() name} is shown by health. */
    public WorkerIdStore store() {
        return store;
    }

    /** Where the worker ids come from: {@value #REDIS_BACKEND} or {@value #ETCD_BACKEND} (or another store's name). */
    public String backend() {
        return backend;
    }

    /** The timing of the worker-id lease. */
    public WorkerLeaseSettings settings() {
        return settings;
    }

    /** The leased worker id; -1 while none is held. */
    public long workerId() {
        return lease.workerId();
    }

    /** Whether the generator issues ids now: it holds a worker id and its lease is provably valid. */
    public boolean isGranted() {
        return generator.isGranted();
    }

    /** When the store ends the current lease unless it is renewed (its server time); empty while none is held. */
    public Optional<Instant> leaseExpiresAt() {
        WorkerClaim held = lease.claim();
        return held == null ? Optional.empty() : Optional.ofNullable(held.expiresAt());
    }

    /** How long ago the lease was last acquired or renewed; empty before the first time. */
    public Optional<Duration> sinceLastRenewal() {
        long last = lease.lastRenewalNanos();
        return last == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - last));
    }

    /**
     * Renews the lease now (which leases a worker id again when none is held), then every heartbeat interval on {@code
     * scheduler} ({@link WorkerIdLease#startQuietly}), and delivers the events held back so far. A failed renewal is
     * logged and tried again at the next interval.
     */
    synchronized void start(ScheduledExecutorService scheduler) {
        lease.startQuietly(scheduler);
        events.release();
    }

    /** Stops renewing and frees the worker id with the last issued timestamp; the generator refuses ids from now on. */
    synchronized void release() {
        lease.close();
    }

    /** Called by the lease while it holds its lock, on the same thread. */
    private void publish(WorkerLeaseEvent event) {
        if (event.type() == WorkerLeaseEvent.Type.RELEASED) {
            log.info(event.message());
        }
        events.publishEvent(new SnowflakeWorkerLeaseEvent(this, event));
    }

    @Override
    public String toString() {
        return workers != null
                ? "SnowflakeWorker[workerId=" + workerId() + ", allocator=" + workers.name() + "]"
                : "SnowflakeWorker[workerId=" + workerId() + ", backend=" + backend + ", store=" + store.name() + "]";
    }
}
