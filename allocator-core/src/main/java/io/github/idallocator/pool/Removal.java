package io.github.idallocator.pool;

/** How {@link ResourcePool#remove} takes a resource out of the pool. */
public enum Removal {
    /**
     * No new leases; the holders keep theirs, and the resource is removed when the last of them releases it (or its
     * lease expires). A resource nobody holds is removed at once.
     */
    DRAIN,
    /**
     * Removed at once; the holders' leases are revoked: their renewals and releases are refused by token, and {@link
     * ResourceLease#isHeld()} turns false at their next renewal (at the latest at their local deadline).
     */
    FORCE
}
