package io.github.idallocator.range;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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

    /** The most cells {@link #occupancy(int)} accepts. */
    int MAX_OCCUPANCY_CELLS = 65_536;

    /** The allocator's name. */
    String name();

    /** This instance's id, the owner of the leases it hands out. */
    String instanceId();

    /** The configuration this instance was created with. */
    IdAllocatorConfig config();

    // The primitives: a decorator (metrics, forwarding) overrides these; the conveniences below are built on them.

    /**
     * Leases {@code count} ids, not necessarily contiguous (the lowest free ones), each its own lease with its own fencing
     * token, in one round trip; all or none. With a {@code note}, stores it with every id in the same script: the note
     * outlives the lease, and the id's next holder receives it as {@link Lease#previousNote()} (Snowflake worker leases
     * keep the last issued timestamp there).
     *
     * @param count 1 to {@value #MAX_BATCH}, and at most the size of the range
     * @param ttl the lease time, or {@link #NO_EXPIRY}
     * @param note 1 to {@value #MAX_NOTE_LENGTH} characters, or {@code null} to keep the note stored with each id
     */
    List<Lease> allocate(int count, Duration ttl, @Nullable String note);

    /** Leases {@code count} contiguous ids as one lease (the lowest run that fits) for {@code ttl}. */
    Lease allocateRange(int count, Duration ttl);

    /**
     * Leases {@code [first, last]} as one lease for {@code ttl} if every id in it is free; empty when one is leased or
     * resting. With a {@code note} (1 to {@value #MAX_NOTE_LENGTH} characters), stores it as {@link #allocate(int,
     * Duration, String)} does.
     */
    Optional<Lease> reserveRange(long first, long last, Duration ttl, @Nullable String note);

    /**
     * Ends exactly this lease: the owner and the fencing token must still match, so a stale holder cannot free an id
     * that was handed out again. Returns false when the lease is gone (expired or freed); throws {@link
     * io.github.idallocator.NotOwnerException} when its id is held under another owner or token. With a {@code note} (1
     * to {@value #MAX_NOTE_LENGTH} characters), leaves it with the id for its next holder.
     */
    boolean free(Lease lease, @Nullable String note);

    /**
     * Ends every one of {@code leases} that is still held under its owner and fencing token, in one round trip, and
     * returns how many it ended. A lease that expired, was freed, or whose ids went to another holder is skipped: a
     * stale lease never ends anyone else's. At most {@value #MAX_BATCH} leases; an empty collection touches nothing.
     */
    int free(Collection<Lease> leases);

    /**
     * Ends this instance's lease of exactly {@code [first, last]}; false when no lease starts at {@code first} (freeing
     * twice is harmless); throws {@link io.github.idallocator.NotOwnerException} when another instance holds it.
     */
    boolean freeRange(long first, long last);

    /** Administrative: ends the lease that starts at {@code id}, whoever holds it. False when there is none. */
    boolean forceFree(long id);

    /**
     * Renews the lease so it expires {@code ttl} after Redis's current time; returns the renewed lease. Throws {@link
     * io.github.idallocator.NotOwnerException} when the lease expired or belongs to someone else now. With a {@code note}
     * (1 to {@value #MAX_NOTE_LENGTH} characters), replaces the note stored with the id.
     */
    Lease extendTtl(Lease lease, Duration ttl, @Nullable String note);

    /** Renews this instance's lease that starts at {@code id}; see {@link #extendTtl(Lease, Duration, String)}. */
    Lease extendTtl(long id, Duration ttl);

    /** The live lease that holds {@code id}, if any. */
    Optional<Lease> leaseOf(long id);

    /** One page of leases; start with {@link LeasePage#START}, continue with {@link LeasePage#nextCursor()}. */
    LeasePage allocatedIds(String cursor, int pageSize);

    /** Counters of the allocator, read in one consistent snapshot. */
    AllocatorStats stats();

    /**
     * A picture of which parts of the range are taken (leased or resting), in at most {@code maxCells} cells, read in
     * one round trip without writing anything, at a cost bounded by the range's size whatever the number of leases.
     * Exact (one cell per id) when the range has at most {@code maxCells} ids; otherwise counted per cell, or, for
     * ranges above 2^18 ids, a lower bound from the full-block summary ({@link Occupancy.Precision}). Lists at most
     * {@value Occupancy#MAX_RESTING} resting intervals.
     *
     * @param maxCells 1 to {@value #MAX_OCCUPANCY_CELLS}
     */
    Occupancy occupancy(int maxCells);

    /**
     * Creator only: reclaims every expired lease and every finished rest now. Returns the number of leases reclaimed;
     * throws {@link io.github.idallocator.NotCreatorException} on a consumer.
     */
    long cleanupExpired();

    /** Creator only, dangerous: deletes every lease and all allocation state of this allocator. */
    void clearAll();

    /**
     * This instance's part in electing the allocator's creator, which {@link AllocatorHeartbeat} drives; empty for an
     * implementation without one. A decorator forwards it unchanged.
     */
    Optional<CreatorElection> creatorElection();

    // Conveniences, built on the primitives.

    /** Leases the lowest free id for the default lease time. */
    default Lease allocate() {
        return allocate(1, config().defaultTtl(), null).get(0);
    }

    /** Leases the lowest free id for {@code ttl} (or {@link #NO_EXPIRY}). */
    default Lease allocate(Duration ttl) {
        return allocate(1, ttl, null).get(0);
    }

    /**
     * Leases the lowest free id for {@code ttl} and stores {@code note} (1 to {@value #MAX_NOTE_LENGTH} characters) with
     * it in the same script; see {@link #allocate(int, Duration, String)}.
     */
    default Lease allocate(Duration ttl, String note) {
        return allocate(1, ttl, LeaseNotes.require(note, name())).get(0);
    }

    /** Leases {@code count} ids for the default lease time; see {@link #allocate(int, Duration, String)}. */
    default List<Lease> allocate(int count) {
        return allocate(count, config().defaultTtl(), null);
    }

    /** Leases {@code count} ids for {@code ttl}; see {@link #allocate(int, Duration, String)}. */
    default List<Lease> allocate(int count, Duration ttl) {
        return allocate(count, ttl, null);
    }

    /** Leases {@code count} contiguous ids as one lease for the default lease time. */
    default Lease allocateRange(int count) {
        return allocateRange(count, config().defaultTtl());
    }

    /** Leases the given id for the default lease time if it is free; empty when it is leased or resting. */
    default Optional<Lease> reserve(long id) {
        return reserveRange(id, id, config().defaultTtl(), null);
    }

    /** Like {@link #reserve(long)} with lease time {@code ttl}. */
    default Optional<Lease> reserve(long id, Duration ttl) {
        return reserveRange(id, id, ttl, null);
    }

    /** Like {@link #reserve(long, Duration)}, storing {@code note} with the id; see {@link #allocate(Duration, String)}. */
    default Optional<Lease> reserve(long id, Duration ttl, String note) {
        return reserveRange(id, id, ttl, LeaseNotes.require(note, name()));
    }

    /** Leases {@code [first, last]} as one lease for the default lease time if every id in it is free. */
    default Optional<Lease> reserveRange(long first, long last) {
        return reserveRange(first, last, config().defaultTtl(), null);
    }

    /** Like {@link #reserveRange(long, long)} with lease time {@code ttl}. */
    default Optional<Lease> reserveRange(long first, long last, Duration ttl) {
        return reserveRange(first, last, ttl, null);
    }

    /**
     * Ends this instance's single-id lease of {@code id}. Returns false when no lease starts at {@code id} (freeing twice
     * is harmless); throws {@link io.github.idallocator.NotOwnerException} when another instance holds it.
     */
    default boolean free(long id) {
        return freeRange(id, id);
    }

    /** Ends exactly this lease; see {@link #free(Lease, String)}. */
    default boolean free(Lease lease) {
        return free(lease, null);
    }

    /**
     * Ends every lease this instance holds (for example on shutdown, so the ids are free for the next instance at once).
     * Walks all leases page by page and frees each page's own leases in one round trip: O(leases / 500) round trips.
     * Returns the number of leases ended.
     */
    default long freeAllOwned() {
        long freed = 0;
        String cursor = LeasePage.START;
        do {
            LeasePage page = allocatedIds(cursor, 500);
            List<Lease> owned = page.leases().stream()
                    .filter(lease -> lease.owner().equals(instanceId()))
                    .toList();
            if (!owned.isEmpty()) {
                freed += free(owned);
            }
            cursor = page.nextCursor();
        } while (!LeasePage.START.equals(cursor));
        return freed;
    }

    /** Renews the lease so it expires {@code ttl} after Redis's current time; see {@link #extendTtl(Lease, Duration, String)}. */
    default Lease extendTtl(Lease lease, Duration ttl) {
        return extendTtl(lease, ttl, null);
    }

    /** Whether a live lease holds {@code id}. */
    default boolean isAllocated(long id) {
        return leaseOf(id).isPresent();
    }
}
