package io.github.idallocator.spring;

import io.github.idallocator.sequence.SequenceAllocator;
import java.util.Collection;

/**
 * Every {@link SequenceAllocator} bean of the application, by sequence name: the ones configured under {@code
 * idallocator.sequences} and any the application defines itself. Inject it to look sequences up by a name known only at
 * run time, or to walk all of them.
 */
public final class SequenceAllocators extends NamedRegistry<SequenceAllocator> {

    /**
     * Creates the registry.
     *
     * @param sequences the sequences; their names must differ
     * @throws IllegalStateException if two sequences have the same name
     */
    public SequenceAllocators(Collection<? extends SequenceAllocator> sequences) {
        super(sequences, SequenceAllocator::name, "sequence");
    }
}
