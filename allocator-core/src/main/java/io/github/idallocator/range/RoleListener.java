package io.github.idallocator.range;

/** Told when this instance becomes the creator or stops being it. Called on the heartbeat thread: return quickly. */
@FunctionalInterface
public interface RoleListener {

    /**
     * @param allocator the allocator's name
     * @param previous the role before
     * @param current the role now
     */
    void roleChanged(String allocator, Role previous, Role current);
}
