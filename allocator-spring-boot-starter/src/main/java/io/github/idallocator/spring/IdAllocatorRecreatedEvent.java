package io.github.idallocator.spring;

import io.github.idallocator.range.AllocatorRecreation;
import io.github.idallocator.range.IdAllocator;
import org.springframework.context.ApplicationEvent;

/**
 * A heartbeat found an allocator's state recreated in Redis after this instance had seen it: Redis lost the
 * allocator's keys, and the leases handed out before are gone (see {@link AllocatorRecreation}). Listen with {@code
 * @EventListener}, for example to alert: it means Redis lost writes.
 */
public class IdAllocatorRecreatedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient AllocatorRecreation recreation;

    /**
     * Creates the event.
     *
     * @param allocator the allocator that was recreated
     * @param recreation what the core reported
     */
    public IdAllocatorRecreatedEvent(IdAllocator allocator, AllocatorRecreation recreation) {
        super(allocator);
        this.recreation = recreation;
    }

    /** The allocator that was recreated. */
    public IdAllocator getAllocator() {
        return (IdAllocator) getSource();
    }

    /** What the core reported. */
    public AllocatorRecreation getRecreation() {
        return recreation;
    }

    @Override
    public String toString() {
        return "IdAllocatorRecreatedEvent[" + recreation + "]";
    }
}
