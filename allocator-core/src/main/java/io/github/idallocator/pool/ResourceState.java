package io.github.idallocator.pool;

/** Where a resource of a pool is. */
public enum ResourceState {
    /** In service: handed out while it can take a holder. */
    ACTIVE,
    /** Being removed ({@link Removal#DRAIN}): never handed out again, removed after its last holder releases it. */
    DRAINING,
    /** Quarantined until a time, or until a health check or {@link ResourcePool#restore} restores it. */
    QUARANTINED
}
