package io.github.idallocator.spring;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Beans of one kind by name, in bean order: the common part of {@link IdAllocators} and {@link SequenceAllocators}.
 *
 * @param <T> the kind of bean
 */
public abstract class NamedRegistry<T> implements Iterable<T> {

    private final Map<String, T> byName;
    private final String kind;

    /**
     * Creates the registry.
     *
     * @param beans the beans; their names must differ
     * @param nameOf the name of a bean
     * @param kind what a bean is, for messages (for example {@code "allocator"})
     * @throws IllegalStateException if two beans have the same name
     */
    protected NamedRegistry(Collection<? extends T> beans, Function<T, String> nameOf, String kind) {
        this.kind = kind;
        Map<String, T> map = new LinkedHashMap<>();
        for (T bean : beans) {
            String name = nameOf.apply(bean);
            T previous = map.putIfAbsent(name, bean);
            if (previous != null) {
                throw new IllegalStateException("Two " + kind + "s are named '" + name + "' (" + previous + " and "
                        + bean + "): give every " + kind + " its own name");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The one named {@code name}, if there is one. */
    public Optional<T> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The one named {@code name}.
     *
     * @throws NoSuchElementException if there is none; the message lists the names there are
     */
    public T get(String name) {
        T bean = byName.get(name);
        if (bean == null) {
            throw new NoSuchElementException(
                    "No " + kind + " is named '" + name + "'; the " + kind + "s are " + byName.keySet());
        }
        return bean;
    }

    /** All names, in bean order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** How many there are. */
    public int size() {
        return byName.size();
    }

    /** Whether there is none. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** All of them, in bean order. */
    public Stream<T> stream() {
        return byName.values().stream();
    }

    @Override
    public Iterator<T> iterator() {
        return byName.values().iterator();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + byName.keySet();
    }
}
