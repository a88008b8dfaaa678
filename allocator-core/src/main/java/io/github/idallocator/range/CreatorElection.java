package io.github.idallocator.range;

import java.util.function.Consumer;

/**
 * This instance's part in electing an allocator's creator: exactly one instance at a time holds the creator lease and
 * runs the periodic cleanup. {@link AllocatorHeartbeat} drives it; applications rarely call it themselves.
 */
public interface CreatorElection {

    /** This instance's role, by the local monotonic clock: creator only while its last renewal is younger than the TTL. */
    Role role();

    /**
     * One heartbeat: renews the creator lease if this instance holds it, takes it if nobody does, and tells role
     * listeners about a change (and recreation listeners when the allocator's state was recreated in Redis).
     */
    Role heartbeat();

    /** Registers a listener for role changes. */
    void addRoleListener(RoleListener listener);

    /**
     * Registers a listener told when a heartbeat finds the allocator's state recreated in Redis after this instance had
     * seen it (Redis lost its data): see {@link AllocatorRecreation}.
     */
    void addRecreationListener(Consumer<AllocatorRecreation> listener);

    /** Gives up the creator role if this instance holds it, so another instance takes over at once. */
    void releaseCreatorRole();

    /** The role of {@code allocator}'s instance: {@link Role#CONSUMER} when it takes part in no election. */
    static Role roleOf(IdAllocator allocator) {
        return allocator.creatorElection().map(CreatorElection::role).orElse(Role.CONSUMER);
    }
}
