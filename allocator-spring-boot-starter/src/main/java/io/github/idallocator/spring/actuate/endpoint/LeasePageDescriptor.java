package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of an allocator's leases, for {@code GET /actuator/idallocator/leases/{name}?cursor=...}: leases of every
 * instance, read from Redis with one script (at most {@code count} leases, in the order Redis stores them).
 *
 * @param allocator the allocator's name
 * @param cursor the cursor this page was read with
 * @param nextCursor the cursor of the next page; {@code "0"} after the last
 * @param leases the leases of this page
 */
public record LeasePageDescriptor(String allocator, String cursor, String nextCursor, List<LeaseDescriptor> leases) {

    static LeasePageDescriptor of(String allocator, String cursor, LeasePage page) {
        Instant now = Instant.now();
        return new LeasePageDescriptor(
                allocator,
                cursor,
                page.nextCursor(),
                page.leases().stream()
                        .map(lease -> LeaseDescriptor.of(lease, now))
                        .toList());
    }

    /**
     * One lease.
     *
     * @param firstId the first id
     * @param lastId the last id (the first for a single id)
     * @param owner the holder's instance id
     * @param fencingToken the lease's fencing token
     * @param expiresAt when Redis reclaims it, by its clock; {@code null}: never
     * @param expiresInMillis milliseconds until then (negative: expired, not yet reclaimed); {@code null}: never
     * @param note the note stored with the first id by its previous holder; {@code null} when there is none
     */
    public record LeaseDescriptor(
            long firstId,
            long lastId,
            String owner,
            long fencingToken,
            @Nullable Instant expiresAt,
            @Nullable Long expiresInMillis,
            @Nullable String note) {

        static LeaseDescriptor of(Lease lease, Instant now) {
            Instant expiresAt = lease.expiresAt();
            return new LeaseDescriptor(
                    lease.firstId(),
                    lease.lastId(),
                    lease.owner(),
                    lease.fencingToken(),
                    expiresAt,
                    expiresAt == null ? null : expiresAt.toEpochMilli() - now.toEpochMilli(),
                    lease.previousNote());
        }
    }
}
