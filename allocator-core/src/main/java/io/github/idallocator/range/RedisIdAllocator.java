package io.github.idallocator.range;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotCreatorException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.range.RangeReplies.CreatorOnlyReply;
import io.github.idallocator.range.RangeReplies.ExtendReply;
import io.github.idallocator.range.RangeReplies.FreeReply;
import io.github.idallocator.range.RangeReplies.FreeRequest;
import io.github.idallocator.range.RangeReplies.GrantReply;
import io.github.idallocator.range.RangeReplies.Granted;
import io.github.idallocator.range.RangeReplies.LeaseOfReply;
import io.github.idallocator.range.RangeReplies.ListReply;
import io.github.idallocator.range.RangeReplies.OccupancyReply;
import io.github.idallocator.range.RangeReplies.Outcome;
import io.github.idallocator.range.RangeReplies.StatsReply;
import io.github.idallocator.range.RangeReplies.StoredLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link IdAllocator} on Redis: a bitmap of the range with a per-block summary, a hash of leases and sorted sets of
 * deadlines and resting ids, all under one hash tag. See {@code docs/design.md} for the key layout and the scripts.
 *
 * <p>Create it with {@link #createOrAttach(RedisConnectionFactory, IdAllocatorConfig, String)}: the first call creates
 * the allocator in Redis, later ones attach to it and fail fast when their range differs from the stored one.
 */
public final class RedisIdAllocator implements IdAllocator, CreatorElection {

    private static final Logger log = LoggerFactory.getLogger(RedisIdAllocator.class);
    private static final int CLEANUP_BATCH = 1000;
    private static final String NO_NOTE = "";

    private final IdAllocatorConfig config;
    private final String instanceId;
    private final RangeScripts scripts;
    private final RedisCreatorElection election;
    private final RangeArguments arguments;

    private RedisIdAllocator(StringRedisTemplate redis, IdAllocatorConfig config, String instanceId) {
        this.config = Objects.requireNonNull(config, "config");
        this.instanceId = InstanceIds.require(instanceId);
        this.scripts = new RangeScripts(redis, config);
        this.election = new RedisCreatorElection(scripts, config, instanceId);
        this.arguments = new RangeArguments(config);
    }

    /**
     * Creates the allocator in Redis, or attaches to the one stored there, and runs a first heartbeat (which may make
     * this instance the creator). Throws {@link ConfigurationMismatchException} when the stored range differs.
     *
     * @param connectionFactory the application's Redis connection factory (Lettuce or Jedis)
     * @param config the allocator's configuration
     * @param instanceId this instance's id, unique among all instances ({@link InstanceIds#generate()})
     */
    public static RedisIdAllocator createOrAttach(
            RedisConnectionFactory connectionFactory, IdAllocatorConfig config, String instanceId) {
        StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
        return createOrAttach(redis, config, instanceId);
    }

    /** Like {@link #createOrAttach(RedisConnectionFactory, IdAllocatorConfig, String)} with a ready template. */
    public static RedisIdAllocator createOrAttach(
            StringRedisTemplate redis, IdAllocatorConfig config, String instanceId) {
        RedisIdAllocator allocator = new RedisIdAllocator(redis, config, instanceId);
        Role role = allocator.heartbeat();
        log.info(
                "Attached to id allocator '{}' [{}, {}] as {} (instance {})",
                config.name(),
                config.minId(),
                config.maxId(),
                role,
                instanceId);
        return allocator;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public IdAllocatorConfig config() {
        return config;
    }

    @Override
    public List<Lease> allocate(int count, Duration ttl, @Nullable String note) {
        long ttlMs = arguments.ttlMillis(ttl);
        arguments.requireCount(count, Math.min(config.size(), MAX_BATCH), "count", "allocate(count)");
        String stored = LeaseNotes.optional(note, name());
        long sent = System.nanoTime();
        GrantReply grant = granted(scripts.allocate(instanceId, ttlMs, count, stored), count + " ids");
        List<Lease> leases = new ArrayList<>(count);
        for (StoredLease granted : grant.leases()) {
            leases.add(lease(granted, grant.nowMs(), sent));
        }
        return leases;
    }

    @Override
    public Lease allocateRange(int count, Duration ttl) {
        long ttlMs = arguments.ttlMillis(ttl);
        arguments.requireCount(count, config.size(), "count", "allocateRange(count)");
        long sent = System.nanoTime();
        GrantReply grant = granted(
                scripts.allocateRange(instanceId, ttlMs, count, NO_NOTE), "a run of " + count + " contiguous ids");
        return lease(grant.leases().get(0), grant.nowMs(), sent);
    }

    @Override
    public Optional<Lease> reserveRange(long first, long last, Duration ttl, @Nullable String note) {
        long ttlMs = arguments.ttlMillis(ttl);
        arguments.requireRange(first, last);
        String stored = LeaseNotes.optional(note, name());
        long sent = System.nanoTime();
        GrantReply grant = scripts.reserve(instanceId, ttlMs, first, last, stored);
        if (grant.granted() == Granted.NO_ROOM) {
            return Optional.empty();
        }
        return Optional.of(lease(granted(grant, "").leases().get(0), grant.nowMs(), sent));
    }

    @Override
    public boolean free(Lease lease, @Nullable String note) {
        arguments.requireOwnLease(lease);
        String stored = LeaseNotes.optional(note, name());
        return free(lease.firstId(), lease.lastId(), lease.owner(), lease.fencingToken(), stored);
    }

    @Override
    public int free(Collection<Lease> leases) {
        Objects.requireNonNull(leases, "leases");
        arguments.requireCount(leases.size(), MAX_BATCH, "leases", "free(leases) batch size", true);
        if (leases.isEmpty()) {
            return 0;
        }
        List<FreeRequest> requests = new ArrayList<>(leases.size());
        for (Lease lease : leases) {
            arguments.requireOwnLease(lease);
            requests.add(
                    new FreeRequest(lease.owner(), lease.fencingToken(), lease.firstId(), lease.lastId(), NO_NOTE));
        }
        return scripts.freeMany(requests);
    }

    @Override
    public boolean freeRange(long first, long last) {
        arguments.requireRange(first, last);
        return free(first, last, instanceId, RangeScripts.ANY, NO_NOTE);
    }

    @Override
    public boolean forceFree(long id) {
        arguments.requireId(id);
        boolean freed = scripts.forceFree(id, NO_NOTE).outcome() == Outcome.DONE;
        if (freed) {
            log.warn("Force-freed the lease at id {} of allocator '{}' (instance {})", id, name(), instanceId);
        }
        return freed;
    }

    private boolean free(long first, long last, String owner, long token, String note) {
        FreeReply r = scripts.free(owner, token, first, last, note);
        if (r.outcome() != Outcome.HELD_BY_OTHER) {
            return r.outcome() == Outcome.DONE;
        }
        if (r.holder().equals(owner) && (token == RangeScripts.ANY || r.token() == token) && r.lastId() != last) {
            throw new InvalidArgumentException("The lease at id " + first + " of allocator '" + name() + "' is ["
                    + first + ", " + r.lastId() + "], not [" + first + ", " + last + "]: free it with freeRange("
                    + first + ", " + r.lastId() + ") or free(lease)");
        }
        throw notOwner("free", first, r.holder(), r.token());
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl, @Nullable String note) {
        arguments.requireOwnLease(lease);
        return extend(lease, ttl, LeaseNotes.optional(note, name()));
    }

    @Override
    public Lease extendTtl(long id, Duration ttl) {
        arguments.requireId(id);
        return extend(id, instanceId, RangeScripts.ANY, ttl, NO_NOTE, RangeScripts.ANY, RangeScripts.ANY);
    }

    /** Extends by lease: during the recovery period a lease Redis lost is re-registered under its token. */
    private Lease extend(Lease lease, Duration ttl, String note) {
        Instant expiresAt = lease.expiresAt();
        long formerExpiry = expiresAt == null ? RangeScripts.ANY : expiresAt.toEpochMilli();
        return extend(lease.firstId(), lease.owner(), lease.fencingToken(), ttl, note, lease.lastId(), formerExpiry);
    }

    private Lease extend(
            long first, String owner, long token, Duration ttl, String note, long knownLast, long formerExpiry) {
        long ttlMs = arguments.ttlMillis(ttl);
        long sent = System.nanoTime();
        ExtendReply r = scripts.extend(owner, token, first, ttlMs, note, knownLast, formerExpiry);
        if (r.outcome() == Outcome.GONE) {
            StoredLease inside = r.inside();
            if (inside != null) {
                throw new NotOwnerException("No lease starts at id " + first + " of allocator '" + name()
                        + "': the id lies inside the live lease " + inside.firstId() + ".." + inside.lastId()
                        + " (held by " + inside.owner() + "); a lease is extended and freed by its first id, "
                        + inside.firstId());
            }
            throw new NotOwnerException("No live lease holds id " + first + " of allocator '" + name()
                    + "': it was never allocated, or its lease expired or was freed; allocate a new one (and stop "
                    + "using the old id)");
        }
        if (r.outcome() == Outcome.HELD_BY_OTHER) {
            throw notOwner("extend", first, r.holder(), r.token());
        }
        if (r.reregistered()) {
            log.info(
                    "Re-registered the lease at id {} (token {}) of allocator '{}' after Redis lost it",
                    first,
                    r.token(),
                    name());
        }
        return lease(new StoredLease(first, r.lastId(), owner, r.token(), r.expiryMs(), NO_NOTE), r.nowMs(), sent);
    }

    @Override
    public Optional<Lease> leaseOf(long id) {
        arguments.requireId(id);
        long sent = System.nanoTime();
        LeaseOfReply r = scripts.leaseOf(id);
        return r.lease().map(held -> lease(held, r.nowMs(), sent));
    }

    @Override
    public LeasePage allocatedIds(String cursor, int pageSize) {
        arguments.requireCursor(cursor);
        arguments.requireCount(pageSize, 10_000, "pageSize", "pageSize");
        long sent = System.nanoTime();
        ListReply r = scripts.listLeases(cursor, pageSize);
        List<Lease> leases = new ArrayList<>(r.leases().size());
        for (StoredLease held : r.leases()) {
            leases.add(lease(held, r.nowMs(), sent));
        }
        return new LeasePage(leases, r.nextCursor());
    }

    @Override
    public AllocatorStats stats() {
        StatsReply r = scripts.stats();
        long size = config.size();
        return new AllocatorStats(
                name(),
                config.minId(),
                config.maxId(),
                size,
                r.allocated(),
                r.resting(),
                size - r.allocated() - r.resting(),
                (double) r.allocated() / size,
                r.leases(),
                r.expiredLeases(),
                r.expiringWithinMinute(),
                r.reclaimedLeases(),
                r.lastToken(),
                role(),
                r.creator().isEmpty() ? null : r.creator(),
                r.creatorTtlMs() >= 0 ? Duration.ofMillis(r.creatorTtlMs()) : null,
                Instant.ofEpochMilli(r.nowMs()),
                recoveryRemaining(r.nowMs(), r.bornMs()),
                r.reregisteredLeases());
    }

    @Override
    public Occupancy occupancy(int maxCells) {
        arguments.requireCells(maxCells);
        OccupancyReply r = scripts.occupancy(maxCells);
        return new Occupancy(
                config.minId(),
                config.maxId(),
                r.idsPerCell(),
                r.precision(),
                r.taken(),
                r.resting(),
                r.restingTruncated(),
                Instant.ofEpochMilli(r.nowMs()));
    }

    @Override
    public long cleanupExpired() {
        long total = 0;
        while (true) {
            CreatorOnlyReply r = scripts.cleanup(instanceId, CLEANUP_BATCH);
            if (!r.done()) {
                String holder = r.creator();
                throw new NotCreatorException("Instance " + instanceId + " is not the creator of allocator '" + name()
                        + "' (the creator is " + (holder.isEmpty() ? "nobody" : holder)
                        + "); cleanup runs on the creator");
            }
            total += r.reclaimed();
            if (!r.more()) {
                break;
            }
        }
        if (total > 0) {
            log.debug("Reclaimed {} expired leases of allocator '{}'", total, name());
        }
        return total;
    }

    @Override
    public void clearAll() {
        CreatorOnlyReply r = scripts.clearAll(instanceId);
        if (!r.done()) {
            String holder = r.creator();
            throw new NotCreatorException(
                    "Instance " + instanceId + " is not the creator of allocator '" + name() + "' (the creator is "
                            + (holder.isEmpty() ? "nobody" : holder) + "); only the creator may clear it");
        }
        log.warn("Cleared every lease of allocator '{}' (instance {})", name(), instanceId);
    }

    @Override
    public Optional<CreatorElection> creatorElection() {
        return Optional.of(this);
    }

    @Override
    public Role role() {
        return election.role();
    }

    @Override
    public Role heartbeat() {
        return election.heartbeat();
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        election.addRoleListener(listener);
    }

    @Override
    public void addRecreationListener(Consumer<AllocatorRecreation> listener) {
        election.addRecreationListener(listener);
    }

    @Override
    public void releaseCreatorRole() {
        election.releaseCreatorRole();
    }

    /** Fails unless the grant leased ids: recovering, or no room for {@code what}. */
    private GrantReply granted(GrantReply grant, String what) {
        if (grant.granted() == Granted.RECOVERING) {
            throw recovering(grant.recoveryLeftMs());
        }
        if (grant.granted() == Granted.NO_ROOM) {
            throw exhausted(what, grant.availableIds());
        }
        return grant;
    }

    /**
     * The lease a reply describes, with its local deadline: the time left by the server's clock ({@code expiryMs -
     * nowMs}) counted from when the call was sent ({@code sentNanos}), so it passes no later than the server's.
     */
    private Lease lease(StoredLease held, long nowMs, long sentNanos) {
        String previousNote = held.previousNote().isEmpty() ? null : held.previousNote();
        long expiryMs = held.expiryMs();
        Instant expiresAt = expiryMs < 0 ? null : Instant.ofEpochMilli(expiryMs);
        long deadline = expiryMs < 0
                ? Long.MAX_VALUE
                : sentNanos + Duration.ofMillis(expiryMs - nowMs).toNanos();
        return new Lease(
                name(),
                config.keyPrefix(),
                held.firstId(),
                held.lastId(),
                held.owner(),
                held.token(),
                expiresAt,
                deadline,
                previousNote);
    }

    /** What is left of the recovery period at server time {@code nowMs} for state created at {@code bornMs}. */
    private Duration recoveryRemaining(long nowMs, long bornMs) {
        long periodMs = config.recoveryPeriod().toMillis();
        if (periodMs == 0 || bornMs == 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.max(0, Math.min(periodMs, bornMs + periodMs - nowMs)));
    }

    private RecoveringException recovering(long leftMs) {
        return new RecoveringException(
                "Allocator '" + name() + "' was created in Redis less than its recovery period "
                        + config.recoveryPeriod() + " ago (it is new, or Redis lost its data): new leases are "
                        + "handed out in " + leftMs + " ms, once holders still alive have had the chance to "
                        + "re-register theirs. Retry then.",
                Duration.ofMillis(leftMs));
    }

    private IdsExhaustedException exhausted(String what, long available) {
        return new IdsExhaustedException("Allocator '" + name() + "' [" + config.minId() + ", " + config.maxId()
                + "] has no room for " + what + " (" + available + " ids free"
                + (config.reuseDelay().isZero() ? "" : ", not counting ids resting for " + config.reuseDelay())
                + "): free ids, shorten lease times, or widen the range under a new allocator name");
    }

    private NotOwnerException notOwner(String what, long id, String holder, long token) {
        return new NotOwnerException("Cannot " + what + " the lease at id " + id + " of allocator '" + name()
                + "': it is held by " + holder + " under fencing token " + token
                + ", not by this caller (a stale lease, or another instance's)");
    }

    @Override
    public String toString() {
        return "RedisIdAllocator[" + name() + " [" + config.minId() + ", " + config.maxId() + "], instance "
                + instanceId + "]";
    }
}
