package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * This application's Snowflake worker: the {@link SnowflakeIdGenerator} bean, the {@link WorkerIdLease} that supplies
 * it with a worker id, and the range allocator the worker ids are leased from.
 *
 * <p>Creating it leases a worker id at once (one Redis round trip, plus at most the handover wait), so the generator
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

    private final SnowflakeIdGenerator generator;
    private final IdAllocator workers;
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
        this.generator = Objects.requireNonNull(generator, "generator");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = new HeldBackEvents(publisher);
        this.lease = new WorkerIdLease(workers, generator, settings, wallClockMillis);
        this.lease.addListener(this::publish);
        try {
            lease.acquire();
        } catch (IdAllocatorException e) {
            throw IdAllocatorStartupException.snowflake(workers.name(), e);
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

    /** The range allocator the worker ids are leased from. */
    public IdAllocator workerAllocator() {
        return workers;
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

    /** When Redis ends the current lease unless it is renewed (Redis server time); empty while none is held. */
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
        return "SnowflakeWorker[workerId=" + workerId() + ", allocator=" + workers.name() + "]";
    }
}
