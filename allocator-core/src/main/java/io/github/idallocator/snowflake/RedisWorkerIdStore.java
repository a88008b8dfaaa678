package io.github.idallocator.snowflake;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker ids claimed from a range allocator over them ({@link IdAllocator}, usually a {@link
 * io.github.idallocator.range.RedisIdAllocator}): the default store behind a {@link WorkerIdLease}. Each operation is one
 * round trip: a claim reserves the preferred worker id and, when it is taken, leases the lowest free one (two round
 * trips then); a renewal extends the lease and stores the note; a release frees it with the note.
 *
 * <p>A claim's {@link WorkerClaim#handle()} is the range {@link Lease}; its fencing token and expiry are the lease's. A
 * renewal after the claim expired is refused with {@link NotOwnerException}, whether or not another instance took the
 * worker id since (the allocator reclaims an expired lease instead of extending it). Recovery after Redis lost its data
 * is the allocator's ({@link io.github.idallocator.range.IdAllocatorConfig#recoveryPeriod()}).
 */
public final class RedisWorkerIdStore implements WorkerIdStore {

    private static final Logger log = LoggerFactory.getLogger(RedisWorkerIdStore.class);

    private final IdAllocator workers;

    /**
     * @param workers the range allocator of worker ids, as the instance that claims them
     */
    public RedisWorkerIdStore(IdAllocator workers) {
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** The range allocator the worker ids are claimed from. */
    public IdAllocator allocator() {
        return workers;
    }

    @Override
    public String name() {
        return workers.name();
    }

    @Override
    public String instanceId() {
        return workers.instanceId();
    }

    @Override
    public long minId() {
        return workers.config().minId();
    }

    @Override
    public long maxId() {
        return workers.config().maxId();
    }

    @Override
    public Duration recoveryPeriod() {
        return workers.config().recoveryPeriod();
    }

    @Override
    public WorkerClaim claim(long preferredId, Duration ttl, String note) {
        if (preferredId >= 0) {
            Lease reserved = workers.reserve(preferredId, ttl, note).orElse(null);
            if (reserved != null) {
                return claimOf(reserved, reserved.previousNote());
            }
        }
        Lease allocated = workers.allocate(ttl, note);
        return claimOf(allocated, allocated.previousNote());
    }

    @Override
    public @Nullable WorkerClaim claimAnother(Duration ttl, String note) {
        try {
            Lease allocated = workers.allocate(ttl, note);
            return claimOf(allocated, allocated.previousNote());
        } catch (IdsExhaustedException e) {
            return null;
        }
    }

    @Override
    public WorkerClaim renew(WorkerClaim claim, Duration ttl, String note) {
        Lease renewed = workers.extendTtl(leaseOf(claim), ttl, note);
        return claimOf(renewed, claim.previousNote());
    }

    @Override
    public boolean release(WorkerClaim claim, @Nullable String note) {
        Lease lease = leaseOf(claim);
        try {
            return note != null ? workers.free(lease, note) : workers.free(lease);
        } catch (NotOwnerException e) {
            return false;
        }
    }

    /**
     * Warns when the allocator's recovery period is shorter than the worker lease time: after Redis loses its data, a
     * new process could then claim a worker id a live process still uses.
     */
    void warnIfRecoveryShorterThan(Duration ttl) {
        if (workers.config().recoveryPeriod().compareTo(ttl) < 0) {
            log.warn(
                    "Worker-id allocator {} has a recovery period of {}, shorter than the worker lease time {}: after "
                            + "Redis loses its data, a new process may lease a worker id that a live process still "
                            + "uses and issue duplicate ids. Set its recoveryPeriod to the lease time (unless no other "
                            + "process can hold its worker ids, as with a Redis this process started).",
                    workers.name(),
                    workers.config().recoveryPeriod(),
                    ttl);
        }
    }

    private static WorkerClaim claimOf(Lease lease, @Nullable String previousNote) {
        return new WorkerClaim(
                lease.id(),
                lease.owner(),
                lease.fencingToken(),
                lease.expiresAt(),
                lease.localDeadlineNanos(),
                previousNote,
                lease);
    }

    private Lease leaseOf(WorkerClaim claim) {
        Objects.requireNonNull(claim, "claim");
        if (claim.handle() instanceof Lease lease) {
            return lease;
        }
        throw new InvalidArgumentException("Worker claim " + claim.workerId() + " of " + claim.owner()
                + " was not made by a Redis worker-id store (its handle is "
                + claim.handle().getClass().getName()
                + "); renew and release a claim with the store that made it");
    }

    @Override
    public String toString() {
        return "RedisWorkerIdStore[" + workers.name() + "]";
    }
}
