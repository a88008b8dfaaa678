package io.github.idallocator.range;

import java.time.Duration;
import java.time.Instant;

/**
 * A heartbeat found an allocator's state in Redis created anew after this instance had seen it: Redis lost the
 * allocator's keys (a restart without persistence, a flush, a failover to a replica that missed writes) and a script
 * recreated them empty. Leases handed out before are gone from Redis; holders still alive re-register theirs by
 * extending them within the recovery period, during which new leases are refused. With a recovery period of zero an
 * id a live holder still uses may be handed out again.
 *
 * @param allocator the allocator's name
 * @param createdAt when the state was recreated (Redis server time)
 * @param previouslyCreatedAt when the state this instance saw before had been created (Redis server time)
 * @param recoveryPeriod the allocator's recovery period
 */
public record AllocatorRecreation(
        String allocator, Instant createdAt, Instant previouslyCreatedAt, Duration recoveryPeriod) {}
