package io.github.idallocator.pool;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One resource as Redis holds it, read by {@link ResourcePool#snapshot}.
 *
 * @param name the resource's name
 * @param state active, draining or quarantined
 * @param priority its priority (lower is served first)
 * @param holders its current leases (expired ones not yet collected are left out)
 * @param maxHolders how many holders it takes at a time
 * @param quarantinedUntil when its quarantine ends (Redis server time); null unless quarantined
 * @param quarantineReason why it was quarantined; null unless quarantined
 * @param metadata what it was added with ({@code ""} when none)
 * @param lastReleased when a holder last released it (Redis server time); null when never
 */
public record ResourceInfo(
        String name,
        ResourceState state,
        int priority,
        List<Holder> holders,
        int maxHolders,
        @Nullable Instant quarantinedUntil,
        @Nullable String quarantineReason,
        String metadata,
        @Nullable Instant lastReleased) {

    /** Copies the holders. */
    public ResourceInfo {
        holders = List.copyOf(holders);
    }

    /**
     * A lease of a resource.
     *
     * @param owner the lease's owner id (the holder's instance id, a colon, a counter)
     * @param fencingToken its fencing token
     * @param expiresAt when it expires unless renewed (Redis server time)
     */
    public record Holder(String owner, long fencingToken, Instant expiresAt) {}
}
