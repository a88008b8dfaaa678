package io.github.idallocator.range;

/** The part an allocator instance plays: exactly one instance at a time is the creator. */
public enum Role {
    /** Holds the creator lease: runs the periodic cleanup and may clear the allocator. */
    CREATOR,
    /** Any other instance: allocates, frees and reclaims expired leases it meets, but runs no periodic cleanup. */
    CONSUMER
}
