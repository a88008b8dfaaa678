package io.github.idallocator.range;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Hands out integer ids from {@code [minId, maxId]} to many JVMs through Redis. Every allocation is a {@link Lease} that
 * expires by Redis server time unless it is renewed with {@link #extendTtl(Lease, Duration)}, so the ids of a holder that
 * dies come back. Thread-safe; every operation that changes Redis is one atomic Lua script.
 *
 * <p>Failures are typed: {@link io.github.idallocator.IdsExhaustedException}, {@link
 * io.github.idallocator.InvalidArgumentException} (thrown before Redis is touched), {@link
 * io.github.idallocator.NotOwnerException}, {@link io.github.idallocator.ConfigurationMismatchException}, {@link
 * io.github.idallocator.KeyConflictException} and {@link io.github.idallocator.RedisUnavailableException}, all subtypes
 * of {@link io.github.idallocator.IdAllocatorException}.
 */
public interface IdAllocator {

    /** Lease time of a lease that never expires; only leases that ask for it explicitly are given it. */
    Duration NO_EXPIRY = ChronoUnit.FOREVER.getDuration();

    /** The longest note accepted with a lease, in characters. */
    int MAX_NOTE_LENGTH = 1024;

    /** The largest count accepted by {@link #allocate(int)}. */
    int MAX_BATCH = 100_000;

    /** The allocator's name. */
    String name();

    /** This instance's id, the owner of the leases it hands out. */
    String instanceId();

    /** The configuration this instance was created with. */
    IdAllocatorConfig config();

    /** Leases the lowest free id for the default lease time. */
    Lease allocate();

    /** Leases the lowest free id for {@code ttl} (or {@link #NO_EXPIRY}). */
    Lease allocate(Duration ttl);

    /**
     * Leases the lowest free id for {@code ttl} and stores {@code note} with it in the same script. The note outlives the
     * lease: the id's next holder receives it as {@link Lease#previousNote()}. Snowflake worker leases keep the last
     * issued timestamp there. {@code note}: 1 to {@value #MAX_NOTE_LENGTH} characters.
     */
    Lease allocate(Duration ttl, String note);

    /** Leases {@code count} ids, not necessarily contiguous, each its own lease, in one round trip; all or none. */
    List<Lease> allocate(int count);

    /** Like {@link #allocate(int)} with lease time {@code ttl}. */
    List<Lease> allocate(int count, Duration ttl);

    /** Leases {@code count} contiguous ids as one lease (the lowest run that fits). */
    Lease allocateRange(int count);

    /** Like {@link #allocateRange(int)} with lease time {@code ttl}. */
    Lease allocateRange(int count, Duration ttl);

    /** Leases the given id if it is free; empty when it is leased or resting. */
    Optional<Lease> reserve(long id);

    /** Like {@link #reserve(long)} with lease time {@code ttl}. */
    Optional<Lease> reserve(long id, Duration ttl);

    /** Like {@link #reserve(long, Duration)}, storing {@code note} with the id; see {@link #allocate(Duration, String)}. */
    Optional<Lease> reserve(long id, Duration ttl, String note);

    /** Leases {@code [first, last]} as one lease if every id in it is free; empty otherwise. */
    Optional<Lease> reserveRange(long first, long last);

    /** Like {@link #reserveRange(long, long)} with lease time {@code ttl}. */
    Optional<Lease> reserveRange(long first, long last, Duration ttl);

    /**
     * Ends this instance's single-id lease of {@code id}. Returns false when no lease starts at {@code id} (freeing twice
     * is harmless); throws {@link io.github.idallocator.NotOwnerException} when another instance holds it.
     */
    boolean free(long id);

    /**
     * Ends exactly this lease: the owner and the fencing token must still match, so a stale holder cannot free an id
     * that was handed out again. Returns false when the lease is gone (expired or freed).
     */
    boolean free(Lease lease);

    /** Like {@link #free(Lease)}, leaving {@code note} with the id for its next holder. */
    boolean free(Lease lease, String note);

    /** Ends this instance's lease of exactly {@code [first, last]}; false when no lease starts at {@code first}. */
    boolean freeRange(long first, long last);

    /**
     * Ends every lease this instance holds (for example on shutdown, so the ids are free for the next instance at once).
     * Walks all leases page by page: O(leases) round trips of at most one page each. Returns the number of leases ended.
     */
    long freeAllOwned();

    /** Administrative: ends the lease that starts at {@code id}, whoever holds it. False when there is none. */
    boolean forceFree(long id);

    /**
     * Renews the lease so it expires {@code ttl} after Redis's current time; returns the renewed lease. Throws {@link
     * io.github.idallocator.NotOwnerException} when the lease expired or belongs to someone else now.
     */
    Lease extendTtl(Lease lease, Duration ttl);

    /** Like {@link #extendTtl(Lease, Duration)}, replacing the note stored with the id by {@code note}. */
    Lease extendTtl(Lease lease, Duration ttl, String note);

    /** Renews this instance's lease that starts at {@code id}; see {@link #extendTtl(Lease, Duration)}. */
    Lease extendTtl(long id, Duration ttl);

    /** Whether a live lease holds {@code id}. */
    boolean isAllocated(long id);

    /** The live lease that holds {@code id}, if any. */
    Optional<Lease> leaseOf(long id);

    /** One page of leases; start with {@link LeasePage#START}, continue with {@link LeasePage#nextCursor()}. */
    LeasePage allocatedIds(String cursor, int pageSize);

    /** Counters of the allocator, read in one consistent snapshot. */
    AllocatorStats stats();

    /**
     * Creator only: reclaims every expired lease and every finished rest now. Returns the number of leases reclaimed;
     * throws {@link io.github.idallocator.NotCreatorException} on a consumer.
     */
    long cleanupExpired();

    /** Creator only, dangerous: deletes every lease and all allocation state of this allocator. */
    void clearAll();

    /** This instance's role, by the local monotonic clock: creator only while its last renewal is younger than the TTL. */
    Role role();

    /**
     * One heartbeat: renews the creator lease if this instance holds it, takes it if nobody does, and tells role
     * listeners about a change. {@link AllocatorHeartbeat} calls it periodically.
     */
    Role heartbeat();

    /** Registers a listener for role changes. */
    void addRoleListener(RoleListener listener);

    /** Gives up the creator role if this instance holds it, so another instance takes over at once. */
    void releaseCreatorRole();
}
