package io.github.idallocator.autoconfigure;

import io.github.idallocator.sequence.SequenceAllocator;
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
 * Every {@link SequenceAllocator} bean of the application, by sequence name: the ones configured under {@code
 * idallocator.sequences} and any the application defines itself. Inject it to look sequences up by a name known only at
 * run time, or to walk all of them.
 */
public final class SequenceAllocators implements Iterable<SequenceAllocator> {

    private final Map<String, SequenceAllocator> byName;

    /**
     * Creates the registry.
     *
     * @param sequences the sequences; their names must differ
     * @throws IllegalStateException if two sequences have the same name
     */
    public SequenceAllocators(Collection<? extends SequenceAllocator> sequences) {
        Map<String, SequenceAllocator> map = new LinkedHashMap<>();
        for (SequenceAllocator sequence : sequences) {
            SequenceAllocator previous = map.putIfAbsent(sequence.name(), sequence);
            if (previous != null) {
                throw new IllegalStateException("Two SequenceAllocator beans are named '" + sequence.name() + "' ("
                        + previous + " and " + sequence + "): give every sequence its own name");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The sequence named {@code name}, if there is one. */
    public Optional<SequenceAllocator> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The sequence named {@code name}.
     *
     * @throws NoSuchElementException if there is none; the message lists the names there are
     */
    public SequenceAllocator get(String name) {
        SequenceAllocator sequence = byName.get(name);
        if (sequence == null) {
            throw new NoSuchElementException(
                    "No sequence is named '" + name + "'; the sequences are " + byName.keySet());
        }
        return sequence;
    }

    /** The names of all sequences, in bean order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The number of sequences. */
    public int size() {
        return byName.size();
    }

    /** Whether there is no sequence. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** All sequences, in bean order. */
    public Stream<SequenceAllocator> stream() {
        return byName.values().stream();
    }

    @Override
    public Iterator<SequenceAllocator> iterator() {
        return byName.values().iterator();
    }

    @Override
    public String toString() {
        return "SequenceAllocators" + byName.keySet();
    }
}
