package io.github.idallocator.autoconfigure;

import io.github.idallocator.range.IdAllocator;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every {@link IdAllocator} bean of the application, by allocator name: the ones configured under {@code
 * idallocator.allocators} and any the application defines itself, and the allocator the Snowflake worker id is leased
 * from (which is no bean, so that it is never injected where an {@code IdAllocator} is asked for). Inject it to look
 * allocators up by a name known only at run time, or to walk all of them.
 */
public final class IdAllocators implements Iterable<IdAllocator> {

    private final Map<String, IdAllocator> byName;

    /**
     * Creates the registry.
     *
     * @param allocators the allocators; their names must differ
     * @throws IllegalStateException if two allocators have the same name
     */
    public IdAllocators(Collection<? extends IdAllocator> allocators) {
        Map<String, IdAllocator> map = new LinkedHashMap<>();
        for (IdAllocator allocator : allocators) {
            IdAllocator previous = map.putIfAbsent(allocator.name(), allocator);
            if (previous != null) {
                throw new IllegalStateException("Two IdAllocator beans are named '" + allocator.name() + "' ("
                        + previous + " and " + allocator + "): give every allocator its own name");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The allocator named {@code name}, if there is one. */
    public Optional<IdAllocator> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The allocator named {@code name}.
     *
     * @throws NoSuchElementException if there is none; the message lists the names there are
     */
    public IdAllocator get(String name) {
        IdAllocator allocator = byName.get(name);
        if (allocator == null) {
            throw new NoSuchElementException(
                    "No allocator is named '" + name + "'; the allocators are " + byName.keySet());
        }
        return allocator;
    }

    /** The names of all allocators, in bean order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The number of allocators. */
    public int size() {
        return byName.size();
    }

    /** Whether there is no allocator. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** All allocators, in bean order. */
    public Stream<IdAllocator> stream() {
        return byName.values().stream();
    }

    @Override
    public Iterator<IdAllocator> iterator() {
        return byName.values().iterator();
    }

    @Override
    public String toString() {
        return "IdAllocators" + byName.keySet();
    }
}
