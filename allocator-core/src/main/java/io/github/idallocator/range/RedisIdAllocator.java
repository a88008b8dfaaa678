package io.github.idallocator.range;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotCreatorException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link IdAllocator} on Redis: a bitmap of the range with a per-block summary, a hash of leases and sorted sets of
 * deadlines and resting ids, all under one hash tag. See {@code docs/design.md} for the key layout and the scripts.
 *
 * <p>Create it with {@link #createOrAttach(RedisConnectionFactory, IdAllocatorConfig, String)}: the first call creates
 * the allocator in Redis, later ones attach to it and fail fast when their range differs from the stored one.
 */
public final class RedisIdAllocator implements IdAllocator, CreatorElection {

    private static final Logger log = LoggerFactory.getLogger(RedisIdAllocator.class);
    private static final String DIR = "io/github/idallocator/range";

    /** The storage layout this version writes; stored with the range as part of the configuration fingerprint. */
    static final String LAYOUT = "v2";

    private static final int CLEANUP_BATCH = 1000;
    private static final String NO_NOTE = "";
    private static final long RECOVERING = -2;

    /**
     * An extension that too few replicas confirmed is not undone: the caller keeps the deadline its lease had before,
     * and the later one stored on the primary only delays the id's reuse.
     */
    private static final Consumer<List<Object>> LEAVE_TO_EXPIRE = grant -> {};

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ALLOCATE = LuaScripts.load(DIR, "allocate.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ALLOCATE_RANGE = LuaScripts.load(DIR, "allocate_range.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESERVE = LuaScripts.load(DIR, "reserve.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> FREE = LuaScripts.load(DIR, "free.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> FREE_MANY = LuaScripts.load(DIR, "free_many.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> EXTEND = LuaScripts.load(DIR, "extend.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LEASE_OF = LuaScripts.load(DIR, "lease_of.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> STATS = LuaScripts.load(DIR, "stats.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LIST_LEASES = LuaScripts.load(DIR, "list_leases.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLEANUP = LuaScripts.load(DIR, "cleanup.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLEAR_ALL = LuaScripts.load(DIR, "clear_all.lua");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CREATOR_HEARTBEAT = LuaScripts.load(DIR, "creator_heartbeat.lua");

    private static final RedisScript<Long> CREATOR_RELEASE = LuaScripts.loadLong(DIR, "creator_release.lua");

    private final IdAllocatorConfig config;
    private final String instanceId;
    private final ScriptRunner runner;
    private final List<String> keys;
    private final String[] head;
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong creatorUntilNanos = new AtomicLong();
    private final Object roleLock = new Object();
    private volatile boolean creatorClaimed;
    private long releases;
    private volatile Role lastReportedRole = Role.CONSUMER;

    private RedisIdAllocator(StringRedisTemplate redis, IdAllocatorConfig config, String instanceId) {
        this.config = Objects.requireNonNull(config, "config");
        this.instanceId = KeyNames.requireMatch("instance id", instanceId, KeyNames.INSTANCE_ID);
        this.runner = new ScriptRunner(redis, "allocator '" + config.name() + "'");
        KeyNames names = KeyNames.of(config.keyPrefix(), config.name());
        this.keys = List.of(
                names.key("meta"),
                names.key("bitmap"),
                names.key("full"),
                names.key("leases"),
                names.key("deadlines"),
                names.key("ranges"),
                names.key("resting"),
                names.key("creator"),
                names.key("notes"));
        this.head = new String[] {
            Long.toString(config.minId()),
            Long.toString(config.maxId()),
            Long.toString(config.size()),
            Long.toString(config.reuseDelay().toMillis()),
            Long.toString(config.recoveryPeriod().toMillis())
        };
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
        long ttlMs = ttlMillis(ttl);
        requireCount(count, Math.min(config.size(), MAX_BATCH), "allocate(count)");
        String stored = LeaseNotes.optional(note, name());
        long sent = System.nanoTime();
        List<Object> r = runGrant(
                ALLOCATE, this::releaseEach, instanceId, Long.toString(ttlMs), Integer.toString(count), stored);
        long now = asLong(r, 1);
        if (asLong(r, 0) == RECOVERING) {
            throw recovering(asLong(r, 2));
        }
        if (asLong(r, 0) == 0) {
            throw exhausted(count + " ids", asLong(r, 2));
        }
        long expiry = asLong(r, 2);
        List<Lease> leases = new ArrayList<>(count);
        for (int i = 3; i < r.size(); i += 3) {
            long id = config.minId() + asLong(r, i);
            leases.add(lease(id, id, instanceId, asLong(r, i + 1), expiry, now, sent, (String) r.get(i + 2)));
        }
        return leases;
    }

    @Override
    public Lease allocateRange(int count, Duration ttl) {
        long ttlMs = ttlMillis(ttl);
        requireCount(count, config.size(), "allocateRange(count)");
        long sent = System.nanoTime();
        List<Object> r = runGrant(
                ALLOCATE_RANGE,
                g -> releaseUnacknowledged(asLong(g, 3), asLong(g, 3) + count - 1, asLong(g, 4), (String) g.get(5)),
                instanceId,
                Long.toString(ttlMs),
                Integer.toString(count),
                NO_NOTE);
        long now = asLong(r, 1);
        if (asLong(r, 0) == RECOVERING) {
            throw recovering(asLong(r, 2));
        }
        if (asLong(r, 0) == 0) {
            throw exhausted("a run of " + count + " contiguous ids", asLong(r, 2));
        }
        long first = config.minId() + asLong(r, 3);
        return lease(first, first + count - 1, instanceId, asLong(r, 4), asLong(r, 2), now, sent, (String) r.get(5));
    }

    @Override
    public Optional<Lease> reserveRange(long first, long last, Duration ttl, @Nullable String note) {
        long ttlMs = ttlMillis(ttl);
        requireRange(first, last);
        String stored = LeaseNotes.optional(note, name());
        long sent = System.nanoTime();
        List<Object> r = runGrant(
                RESERVE,
                g -> releaseUnacknowledged(
                        first - config.minId(), last - config.minId(), asLong(g, 3), (String) g.get(4)),
                instanceId,
                Long.toString(ttlMs),
                offset(first),
                offset(last),
                stored);
        if (asLong(r, 0) == RECOVERING) {
            throw recovering(asLong(r, 2));
        }
        if (asLong(r, 0) == 0) {
            return Optional.empty();
        }
        return Optional.of(
                lease(first, last, instanceId, asLong(r, 3), asLong(r, 2), asLong(r, 1), sent, (String) r.get(4)));
    }

    @Override
    public boolean free(Lease lease, @Nullable String note) {
        requireOwnLease(lease);
        String stored = LeaseNotes.optional(note, name());
        return free(lease.firstId(), lease.lastId(), lease.owner(), lease.fencingToken(), stored);
    }

    @Override
    public int free(Collection<Lease> leases) {
        Objects.requireNonNull(leases, "leases");
        requireCount(leases.size(), MAX_BATCH, "free(leases) batch size", true);
        if (leases.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(1 + 5 * leases.size());
        args.add(Integer.toString(leases.size()));
        for (Lease lease : leases) {
            requireOwnLease(lease);
            args.add(lease.owner());
            args.add(Long.toString(lease.fencingToken()));
            args.add(offset(lease.firstId()));
            args.add(offset(lease.lastId()));
            args.add(NO_NOTE);
        }
        return freeMany(args);
    }

    private int freeMany(List<String> args) {
        return (int) asLong(run(FREE_MANY, args.toArray(String[]::new)), 0);
    }

    @Override
    public boolean freeRange(long first, long last) {
        requireRange(first, last);
        return free(first, last, instanceId, -1, NO_NOTE);
    }

    @Override
    public boolean forceFree(long id) {
        requireId(id);
        List<Object> r = run(FREE, "", "-1", offset(id), "-1", NO_NOTE);
        boolean freed = asLong(r, 0) != 0;
        if (freed) {
            log.warn("Force-freed the lease at id {} of allocator '{}' (instance {})", id, name(), instanceId);
        }
        return freed;
    }

    private boolean free(long first, long last, String owner, long token, String note) {
        List<Object> r = run(FREE, owner, Long.toString(token), offset(first), offset(last), note);
        long status = asLong(r, 0);
        if (status >= 0) {
            return status == 1;
        }
        String holder = (String) r.get(2);
        long heldLast = config.minId() + asLong(r, 4);
        if (holder.equals(owner) && (token == -1 || asLong(r, 3) == token) && heldLast != last) {
            throw new InvalidArgumentException("The lease at id " + first + " of allocator '" + name() + "' is ["
                    + first + ", " + heldLast + "], not [" + first + ", " + last + "]: free it with freeRange(" + first
                    + ", " + heldLast + ") or free(lease)");
        }
        throw notOwner("free", first, holder, asLong(r, 3));
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl, @Nullable String note) {
        requireOwnLease(lease);
        return extend(lease, ttl, LeaseNotes.optional(note, name()));
    }

    @Override
    public Lease extendTtl(long id, Duration ttl) {
        requireId(id);
        return extend(id, instanceId, -1, ttl, NO_NOTE, "-1", "-1");
    }

    /** Extends by lease: during the recovery period a lease Redis lost is re-registered under its token. */
    private Lease extend(Lease lease, Duration ttl, String note) {
        Instant expiresAt = lease.expiresAt();
        String formerExpiry = expiresAt == null ? "-1" : Long.toString(expiresAt.toEpochMilli());
        return extend(
                lease.firstId(), lease.owner(), lease.fencingToken(), ttl, note, offset(lease.lastId()), formerExpiry);
    }

    private Lease extend(
            long first, String owner, long token, Duration ttl, String note, String lastOffset, String formerExpiry) {
        long ttlMs = ttlMillis(ttl);
        long sent = System.nanoTime();
        List<Object> r = runGrant(
                EXTEND,
                LEAVE_TO_EXPIRE,
                owner,
                Long.toString(token),
                offset(first),
                Long.toString(ttlMs),
                note,
                lastOffset,
                formerExpiry);
        long status = asLong(r, 0);
        if (status == 0) {
            throw new NotOwnerException("No live lease starts at id " + first + " of allocator '" + name()
                    + "': it expired or was freed; allocate a new one (and stop using the old id)");
        }
        if (status < 0) {
            throw notOwner("extend", first, (String) r.get(2), asLong(r, 3));
        }
        long last = config.minId() + asLong(r, 4);
        if (asLong(r, 5) == 1) {
            log.info(
                    "Re-registered the lease at id {} (token {}) of allocator '{}' after Redis lost it",
                    first,
                    asLong(r, 3),
                    name());
        }
        return lease(first, last, owner, asLong(r, 3), asLong(r, 2), asLong(r, 1), sent, null);
    }

    @Override
    public Optional<Lease> leaseOf(long id) {
        requireId(id);
        long sent = System.nanoTime();
        List<Object> r = run(LEASE_OF, offset(id));
        if (asLong(r, 0) == 0) {
            return Optional.empty();
        }
        long first = config.minId() + asLong(r, 2);
        long last = config.minId() + asLong(r, 6);
        return Optional.of(lease(first, last, (String) r.get(3), asLong(r, 4), asLong(r, 5), asLong(r, 1), sent, null));
    }

    @Override
    public LeasePage allocatedIds(String cursor, int pageSize) {
        if (!isUnsigned64(cursor)) {
            throw new InvalidArgumentException("cursor '" + cursor + "' is invalid: start with LeasePage.START (\"0\") "
                    + "and pass on the nextCursor of each page");
        }
        requireCount(pageSize, 10_000, "pageSize");
        long sent = System.nanoTime();
        List<Object> r = run(LIST_LEASES, cursor, Integer.toString(pageSize));
        long now = asLong(r, 0);
        List<Lease> leases = new ArrayList<>();
        for (int i = 2; i + 1 < r.size(); i += 2) {
            long first = config.minId() + Long.parseLong((String) r.get(i));
            String[] v = ((String) r.get(i + 1)).split("\\|");
            long last = config.minId() + Long.parseLong(v[3]);
            leases.add(lease(first, last, v[0], Long.parseLong(v[1]), Long.parseLong(v[2]), now, sent, null));
        }
        return new LeasePage(leases, (String) r.get(1));
    }

    @Override
    public AllocatorStats stats() {
        List<Object> r = run(STATS);
        long size = config.size();
        long allocated = asLong(r, 1);
        long resting = asLong(r, 2);
        String creator = (String) r.get(7);
        long creatorPttl = asLong(r, 8);
        return new AllocatorStats(
                name(),
                config.minId(),
                config.maxId(),
                size,
                allocated,
                resting,
                size - allocated - resting,
                (double) allocated / size,
                asLong(r, 3),
                asLong(r, 4),
                asLong(r, 11),
                asLong(r, 5),
                asLong(r, 6),
                role(),
                creator.isEmpty() ? null : creator,
                creatorPttl >= 0 ? Duration.ofMillis(creatorPttl) : null,
                Instant.ofEpochMilli(asLong(r, 0)),
                recoveryRemaining(asLong(r, 0), asLong(r, 12)),
                asLong(r, 13));
    }

    @Override
    public long cleanupExpired() {
        long total = 0;
        while (true) {
            List<Object> r = run(CLEANUP, instanceId, Integer.toString(CLEANUP_BATCH));
            if (asLong(r, 0) == 0) {
                String holder = (String) r.get(2);
                throw new NotCreatorException("Instance " + instanceId + " is not the creator of allocator '" + name()
                        + "' (the creator is " + (holder.isEmpty() ? "nobody" : holder)
                        + "); cleanup runs on the creator");
            }
            total += asLong(r, 2);
            if (asLong(r, 3) == 0) {
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
        List<Object> r = run(CLEAR_ALL, instanceId);
        if (asLong(r, 0) == 0) {
            String holder = (String) r.get(2);
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
        return creatorClaimed && System.nanoTime() - creatorUntilNanos.get() < 0 ? Role.CREATOR : Role.CONSUMER;
    }

    @Override
    public Role heartbeat() {
        long sent = System.nanoTime();
        long ttlMs = config.creatorTtl().toMillis();
        long releasesBefore;
        synchronized (roleLock) {
            releasesBefore = releases;
        }
        try {
            List<Object> r = run(CREATOR_HEARTBEAT, instanceId, Long.toString(ttlMs));
            synchronized (roleLock) {
                if (releases != releasesBefore) {
                    return role();
                }
                if (asLong(r, 0) > 0) {
                    creatorUntilNanos.set(sent + Duration.ofMillis(ttlMs).toNanos());
                    creatorClaimed = true;
                } else {
                    creatorClaimed = false;
                }
            }
        } finally {
            reportRole();
        }
        return role();
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void releaseCreatorRole() {
        synchronized (roleLock) {
            releases++;
            creatorClaimed = false;
        }
        try {
            if (runner.number(CREATOR_RELEASE, keys, withHead(instanceId)) == 1) {
                log.info("Released the creator role of allocator '{}' (instance {})", name(), instanceId);
            }
        } finally {
            reportRole();
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
        log.info("Instance {} is now {} of allocator '{}' (was {})", instanceId, current, name(), previous);
        for (RoleListener listener : listeners) {
            try {
                listener.roleChanged(name(), previous, current);
            } catch (RuntimeException e) {
                log.warn("Role listener {} of allocator '{}' failed", listener, name(), e);
            }
        }
    }

    private List<Object> run(@SuppressWarnings("rawtypes") RedisScript<List> script, String... args) {
        try {
            return runner.list(script, keys, withHead(args));
        } catch (ConfigurationMismatchException e) {
            throw mismatch(e);
        }
    }

    /** The common head of every range script's ARGV (see lib_core.lua), then the operation's arguments. */
    private String[] withHead(String... args) {
        String[] all = new String[head.length + args.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(args, 0, all, head.length, args.length);
        return all;
    }

    /**
     * Runs a script that hands out or extends a lease ({@code {1, ...}} when it did). With {@code replicaAcks} the
     * caller gets the grant only once that many replicas confirmed it (Redis {@code WAIT}); when they did not, {@code
     * release} undoes what the reply says was granted and {@link ReplicaAckException} is thrown. Without, it is {@link
     * #run}: no other command, nothing allocated.
     */
    private List<Object> runGrant(
            @SuppressWarnings("rawtypes") RedisScript<List> script, Consumer<List<Object>> release, String... args) {
        if (config.replicaAcks() == 0) {
            return run(script, args);
        }
        try {
            return runner.listAcknowledged(
                    script,
                    keys,
                    config.replicaAcks(),
                    config.replicaAckTimeout(),
                    r -> asLong(r, 0) == 1,
                    withHead(args));
        } catch (ConfigurationMismatchException e) {
            throw mismatch(e);
        } catch (ReplicaAckException e) {
            release.accept(e.reply());
            throw e;
        }
    }

    /**
     * Releases, in one script, every lease of an unconfirmed {@code allocate} reply: {@code {1, now, expiry, offset,
     * token, note, ...}}; see {@link #releaseUnacknowledged}.
     */
    private void releaseEach(List<Object> grant) {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString((grant.size() - 3) / 3));
        for (int i = 3; i + 2 < grant.size(); i += 3) {
            args.add(instanceId);
            args.add(Long.toString(asLong(grant, i + 1)));
            args.add(Long.toString(asLong(grant, i)));
            args.add(Long.toString(asLong(grant, i)));
            args.add((String) grant.get(i + 2));
        }
        try {
            freeMany(args);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not free the {} unconfirmed leases of allocator '{}'; they stay until they expire or are "
                            + "freed",
                    args.get(0),
                    name(),
                    e);
        }
    }

    /**
     * Frees, best effort, a lease whose grant too few replicas confirmed: it was never handed to a caller. The note the
     * grant replaced is put back when there was one (otherwise the grant's note stays: a later timestamp than needed,
     * never an earlier one). When the free fails too, the lease expires after its lease time (a lease without expiry
     * stays until freed by id).
     */
    private void releaseUnacknowledged(long firstOffset, long lastOffset, long token, String previousNote) {
        long first = config.minId() + firstOffset;
        long last = config.minId() + lastOffset;
        try {
            run(
                    FREE,
                    instanceId,
                    Long.toString(token),
                    Long.toString(firstOffset),
                    Long.toString(lastOffset),
                    previousNote);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not free the unconfirmed lease [{}, {}] of allocator '{}' (token {}); it stays until it "
                            + "expires or is freed",
                    first,
                    last,
                    name(),
                    token,
                    e);
        }
    }

    private ConfigurationMismatchException mismatch(ConfigurationMismatchException stored) {
        String[] v = stored.getMessage().split(" ");
        return new ConfigurationMismatchException("Allocator '" + name() + "' is stored in Redis with ids [" + v[0]
                + ", " + v[1] + "] (layout " + v[2] + ") but this instance is configured with [" + config.minId() + ", "
                + config.maxId() + "] (layout " + LAYOUT
                + "). Use the stored range, another allocator name or key prefix, or "
                + "delete the allocator's keys (" + keys.get(0).replace(":meta", ":*") + ") to recreate it.");
    }

    private Lease lease(
            long first,
            long last,
            String owner,
            long token,
            long expiryMs,
            long nowMs,
            long sentNanos,
            @Nullable String note) {
        String previousNote = note == null || note.isEmpty() ? null : note;
        if (expiryMs < 0) {
            return new Lease(name(), config.keyPrefix(), first, last, owner, token, null, Long.MAX_VALUE, previousNote);
        }
        long deadline = sentNanos + Duration.ofMillis(expiryMs - nowMs).toNanos();
        return new Lease(
                name(),
                config.keyPrefix(),
                first,
                last,
                owner,
                token,
                Instant.ofEpochMilli(expiryMs),
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

    private void requireOwnLease(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        if (!lease.allocator().equals(name()) || !lease.keyPrefix().equals(config.keyPrefix())) {
            throw new InvalidArgumentException("Lease of id " + lease.firstId() + " belongs to allocator '"
                    + lease.allocator() + "' under key prefix '" + lease.keyPrefix() + "', not to '" + name()
                    + "' under '" + config.keyPrefix() + "'");
        }
        requireRange(lease.firstId(), lease.lastId());
    }

    private void requireId(long id) {
        if (id < config.minId() || id > config.maxId()) {
            throw new InvalidArgumentException("id " + id + " is outside allocator '" + name() + "' range ["
                    + config.minId() + ", " + config.maxId() + "]");
        }
    }

    private void requireRange(long first, long last) {
        requireId(first);
        requireId(last);
        if (last < first) {
            throw new InvalidArgumentException("range [" + first + ", " + last + "] of allocator '" + name()
                    + "' is empty: last must be >= first");
        }
    }

    private void requireCount(int count, long max, String what) {
        requireCount(count, max, what, false);
    }

    private void requireCount(int count, long max, String what, boolean zeroAllowed) {
        if (count < (zeroAllowed ? 0 : 1) || count > max) {
            throw new InvalidArgumentException(what + " " + count + " of allocator '" + name()
                    + "' is out of range: use " + (zeroAllowed ? 0 : 1) + " to " + max);
        }
    }

    private long ttlMillis(@Nullable Duration ttl) {
        if (ttl == null) {
            throw new InvalidArgumentException("ttl of allocator '" + name() + "' is null: pass a positive Duration "
                    + "or IdAllocator.NO_EXPIRY");
        }
        IdAllocatorConfig.requireTtl("ttl", ttl, name());
        Duration recovery = config.recoveryPeriod();
        if (!recovery.isZero() && (NO_EXPIRY.equals(ttl) || ttl.compareTo(recovery) > 0)) {
            throw new InvalidArgumentException("ttl " + ttl + " of allocator '" + name() + "' is longer than its "
                    + "recoveryPeriod " + recovery + ": after Redis lost data its holder could outlive the wait and "
                    + "share its ids; use at most " + recovery + " or raise recoveryPeriod");
        }
        return NO_EXPIRY.equals(ttl) ? -1 : ttl.toMillis();
    }

    private String offset(long id) {
        return Long.toString(id - config.minId());
    }

    private static boolean isUnsigned64(@Nullable String cursor) {
        if (cursor == null || !cursor.matches("[0-9]{1,20}")) {
            return false;
        }
        try {
            Long.parseUnsignedLong(cursor);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long asLong(List<Object> reply, int index) {
        Object value = reply.get(index);
        if (value instanceof Long l) {
            return l;
        }
        return Long.parseLong(value.toString());
    }

    @Override
    public String toString() {
        return "RedisIdAllocator[" + name() + " [" + config.minId() + ", " + config.maxId() + "], instance "
                + instanceId + "]";
    }
}
