package io.github.idallocator.spring;

import io.github.idallocator.range.IdAllocator;
import java.util.Collection;

/**
 * Every {@link IdAllocator} bean of the application, by allocator name: the ones configured under {@code
 * idallocator.allocators} and any the application defines itself, and the allocator the Snowflake worker id is leased
 * from (which is no bean, so that it is never injected where an {@code IdAllocator} is asked for). Inject it to look
 * allocators up by a name known only at run time, or to walk all of them.
 */
public final class IdAllocators extends NamedRegistry<IdAllocator> {

    /**
     * Creates the registry.
     *
     * @param allocators the allocators; their names must differ
     * @throws IllegalStateException if two allocators have the same name
     */
    public IdAllocators(Collection<? extends IdAllocator> allocators) {
        super(allocators, IdAllocator::name, "allocator");
    }
}
