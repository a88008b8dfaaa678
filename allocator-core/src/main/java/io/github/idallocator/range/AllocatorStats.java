package io.github.idallocator.range;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A consistent snapshot of one allocator, read in one script.
 *
 * @param name the allocator's name
 * @param minId the first id of the range
 * @param maxId the last id of the range
 * @param size the number of ids in the range
 * @param allocated ids held by leases (including leases expired but not yet reclaimed)
 * @param resting ids freed or expired that wait out the reuse delay
 * @param available ids that can be handed out now ({@code size - allocated - resting})
 * @param utilisation {@code allocated / size}, from 0 to 1
 * @param leases number of leases
 * @param expiredLeases leases past their deadline, not yet reclaimed
 * @param leasesExpiringWithinMinute live leases whose deadline falls within the next 60 seconds (server time)
 * @param reclaimedLeases leases reclaimed by expiry since the allocator was created
 * @param lastFencingToken the newest fencing token handed out
 * @param role this instance's role
 * @param creatorId the creator's instance id; {@code null} when no instance holds the creator lease
 * @param creatorLeaseRemaining how long the creator lease lasts without renewal; {@code null} without creator
 * @param serverTime Redis server time when the snapshot was read
 * @param recoveryRemaining how much of the recovery period is left (new leases are refused until then, see {@link
 *     IdAllocatorConfig#recoveryPeriod()}); zero when it is over or the allocator has none
 * @param reregisteredLeases leases their holders re-registered after Redis lost them, since the state was created
 */
public record AllocatorStats(
        String name,
        long minId,
        long maxId,
        long size,
        long allocated,
        long resting,
        long available,
        double utilisation,
        long leases,
        long expiredLeases,
        long leasesExpiringWithinMinute,
        long reclaimedLeases,
        long lastFencingToken,
        Role role,
        @Nullable String creatorId,
        @Nullable Duration creatorLeaseRemaining,
        Instant serverTime,
        Duration recoveryRemaining,
        long reregisteredLeases) {}
