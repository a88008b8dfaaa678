package io.github.idallocator.range;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The records the range scripts' replies decode into ({@link RangeScripts} decodes them): ids as ids, times as server
 * milliseconds, -1 ({@link RangeScripts#ANY}) where a reply does not say.
 */
final class RangeReplies {

    private RangeReplies() {}

    /** How a grant ended: leased, no room (nothing leased), or refused during the recovery period. */
    enum Granted {
        YES,
        NO_ROOM,
        RECOVERING
    }

    /**
     * A reply of allocate, allocate_range or reserve: {@code availableIds} when there was no room (-1 when the script
     * does not say), {@code recoveryLeftMs} when recovering, else the leases at {@code expiryMs} (-1: none).
     */
    record GrantReply(
            Granted granted,
            long nowMs,
            long expiryMs,
            long availableIds,
            long recoveryLeftMs,
            List<StoredLease> leases) {}

    /** A lease as the scripts store it (expiry -1: never); {@code previousNote} is '' when there was none. */
    record StoredLease(long firstId, long lastId, String owner, long token, long expiryMs, String previousNote) {}

    /** How a free or an extension ended: done, no live lease there, or the lease is another holder's. */
    enum Outcome {
        DONE,
        GONE,
        HELD_BY_OTHER
    }

    /** A reply of free: when held by another, that holder, its token and its lease's last id. */
    record FreeReply(Outcome outcome, String holder, long token, long lastId) {}

    /**
     * A reply of extend: when done, the lease's new expiry; when held by another, that holder's lease; when gone, the
     * live lease the id lies inside ({@code inside}, {@code null} when there is none).
     */
    record ExtendReply(
            Outcome outcome,
            long nowMs,
            long expiryMs,
            String holder,
            long token,
            long lastId,
            boolean reregistered,
            @Nullable StoredLease inside) {}

    /**
     * A reply of creator_heartbeat: whether the caller holds the creator lease after the call, and when the allocator's
     * state was created (server time; recreated after Redis lost it).
     */
    record HeartbeatReply(boolean creator, long bornMs) {}

    /** A reply of lease_of: the live lease holding the id, if any, read at server time {@code nowMs}. */
    record LeaseOfReply(long nowMs, Optional<StoredLease> lease) {}

    /** A reply of list_leases: a page of leases read at {@code nowMs} and the cursor of the next ('0': done). */
    record ListReply(long nowMs, String nextCursor, List<StoredLease> leases) {}

    /** A reply of stats; {@code creator} is '' and {@code creatorTtlMs} negative when there is no creator. */
    record StatsReply(
            long nowMs,
            long allocated,
            long resting,
            long leases,
            long expiredLeases,
            long reclaimedLeases,
            long lastToken,
            String creator,
            long creatorTtlMs,
            long expiringWithinMinute,
            long bornMs,
            long reregisteredLeases) {}

    /**
     * A reply of occupancy: one value per cell of {@code idsPerCell} ids, the resting intervals (at most {@link
     * Occupancy#MAX_RESTING}, sorted by first id) and whether there were more.
     */
    record OccupancyReply(
            long nowMs,
            Occupancy.Precision precision,
            long idsPerCell,
            int[] taken,
            List<Occupancy.IdRange> resting,
            boolean restingTruncated) {}

    /** A reply of cleanup or clear_all: done, or refused because the caller is not the creator ('' : nobody is). */
    record CreatorOnlyReply(boolean done, String creator, long reclaimed, boolean more) {}

    /** A lease to end in a batch (free_many.lua). */
    record FreeRequest(String owner, long token, long firstId, long lastId, String note) {}
}
