package io.github.idallocator.sequence;

import java.util.function.Consumer;

/**
 * Unique, increasing ids of one named sequence. Unique across all instances; increasing within an instance (and across
 * instances in strict mode). Thread-safe.
 */
public interface SequenceAllocator {

    /** The sequence's name. */
    String name();

    /** The configuration this instance was created with. */
    SequenceConfig config();

    /**
     * The next id.
     *
     * @throws io.github.idallocator.RecoveringException when this instance has no segment yet and Redis lost the
     *     sequence (or it is new) less than its recovery period ago: retry after {@code retryAfter()}
     * @throws io.github.idallocator.RedisUnavailableException when a segment is needed and Redis cannot grant one; no
     *     call waits for more than one Redis call
     */
    long next();

    /**
     * {@code count} contiguous ids; {@code count} from 1 to {@value RedisSequenceAllocator#MAX_STEP}. Throws as
     * {@link #next()} does.
     */
    IdBlock next(int count);

    /** Counters of this instance. */
    SequenceStats stats();

    /** Registers a listener told when Redis offered a counter below this instance's floor (see {@link SequenceRepair}). */
    void addRepairListener(Consumer<SequenceRepair> listener);
}
