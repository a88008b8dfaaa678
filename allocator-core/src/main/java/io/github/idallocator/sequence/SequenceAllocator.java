package io.github.idallocator.sequence;

import java.util.function.Consumer;

/**
 * Unique, increasing ids of one named sequence. Unique across all instances; increasing within an instance (and across
 * instances in strict mode). Thread-safe.
 */
public interface SequenceAllocator {

    /** The sequence's name. */
    String name();

    /** The next id. */
    long next();

    /** {@code count} contiguous ids; {@code count} from 1 to {@value RedisSequenceAllocator#MAX_STEP}. */
    IdBlock next(int count);

    /** Counters of this instance. */
    SequenceStats stats();

    /** Registers a listener told when Redis offered a counter below this instance's floor (see {@link SequenceRepair}). */
    void addRepairListener(Consumer<SequenceRepair> listener);
}
