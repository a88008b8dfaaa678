package io.github.idallocator.pool;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a pool's resources and the pool's totals, as Redis holds them ({@link ResourcePool#snapshot}). The page
 * and the totals are read in one script, so they agree with each other.
 *
 * @param pool the pool's name
 * @param maxHolders holders per resource (1: exclusive)
 * @param readAt Redis server time of the read
 * @param resources the page of resources, in no particular order
 * @param nextCursor the cursor of the next page; null after the last page
 * @param totals the pool's counts
 * @param waiters the first waiters (at most 100), in the order they will be served
 */
public record PoolSnapshot(
        String pool,
        int maxHolders,
        Instant readAt,
        List<ResourceInfo> resources,
        @Nullable String nextCursor,
        Totals totals,
        List<Waiter> waiters) {

    /** Copies the lists. */
    public PoolSnapshot {
        resources = List.copyOf(resources);
        waiters = List.copyOf(waiters);
    }

    /**
     * The pool's counts.
     *
     * @param resources resources in the pool (draining ones included)
     * @param available resources that can take a holder now
     * @param leases leases held (expired ones not yet collected included)
     * @param quarantined quarantined resources
     * @param draining draining resources
     * @param waiters live waiter tickets
     * @param bindings soft bindings (expired ones not yet collected included)
     * @param expired leases collected after they expired (holders that crashed or paused)
     * @param revoked leases revoked by {@link Removal#FORCE}
     * @param autoQuarantined quarantines caused by unhealthy releases
     */
    public record Totals(
            long resources,
            long available,
            long leases,
            long quarantined,
            long draining,
            long waiters,
            long bindings,
            long expired,
            long revoked,
            long autoQuarantined) {}

    /**
     * A caller waiting for a resource.
     *
     * @param ticket its ticket (the owner id of its acquisition)
     * @param priority its waiter priority
     * @param expiresAt when its ticket ends unless the waiter tries again (Redis server time)
     */
    public record Waiter(String ticket, int priority, Instant expiresAt) {}
}
