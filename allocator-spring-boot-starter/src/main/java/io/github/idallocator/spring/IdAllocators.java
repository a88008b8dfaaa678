package io.github.idallocator.spring;

import io.github.idallocator.range.IdAllocator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every {@link IdAllocator} bean of the application, by allocator name: the ones configured under {@code
 * idallocator.allocators} and any the application defines itself. Inject it to look allocators up by a name known only
 * at run time, or to walk all of them.
 *
 * <p>The starter's own allocators are not among them: the allocator the Snowflake worker ids are leased from ({@code
 * snowflake-workers}), whose leases only the generator may renew and free (force-freeing one lets two instances issue
 * ids with the same worker id). They are listed apart, in {@link #internal()}, for the endpoint, the health indicator,
 * the gauges and the heartbeats; they are no beans, so they are never injected where an {@code IdAllocator} is asked
 * for.
 */
public final class IdAllocators extends NamedRegistry<IdAllocator> {

    private final List<IdAllocator> internal;

    /**
     * Creates the registry of the application's allocators, with no internal ones.
     *
     * @param allocators the allocators; their names must differ
     * @throws IllegalStateException if two allocators have the same name
     */
    public IdAllocators(Collection<? extends IdAllocator> allocators) {
        this(allocators, List.of());
    }

    /**
     * Creates the registry.
     *
     * @param allocators the application's allocators; their names must differ
     * @param internal the starter's own allocators, kept out of the lookups and the iteration
     * @throws IllegalStateException if two allocators, internal ones included, have the same name
     */
    public IdAllocators(Collection<? extends IdAllocator> allocators, Collection<? extends IdAllocator> internal) {
        super(allocators, IdAllocator::name, "allocator");
        this.internal = List.copyOf(internal);
        for (IdAllocator own : this.internal) {
            if (find(own.name()).isPresent()
                    || internal.stream()
                                    .filter(a -> a.name().equals(own.name()))
                                    .count()
                            > 1) {
                throw new IllegalStateException("Two allocators are named '" + own.name() + "', one of them the "
                        + "starter's own: give the application's allocator another name");
            }
        }
    }

    /** The starter's own allocators (the Snowflake worker-id allocator): never free or clear their leases yourself. */
    public List<IdAllocator> internal() {
        return internal;
    }

    /** Whether {@code name} is one of the starter's own allocators. */
    public boolean isInternal(String name) {
        return internal.stream().anyMatch(allocator -> allocator.name().equals(name));
    }

    /** The application's allocators, then the starter's own: what the endpoint, health and gauges show. */
    public List<IdAllocator> withInternal() {
        List<IdAllocator> all = new ArrayList<>(size() + internal.size());
        forEach(all::add);
        all.addAll(internal);
        return all;
    }
}
