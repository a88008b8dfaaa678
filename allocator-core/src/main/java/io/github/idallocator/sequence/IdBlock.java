package io.github.idallocator.sequence;

/**
 * Contiguous ids {@code [start, end]} from {@link SequenceAllocator#next(int)}.
 *
 * @param start the first id
 * @param end the last id (inclusive)
 */
public record IdBlock(long start, long end) {

    /** The number of ids in the block. */
    public long count() {
        return end - start + 1;
    }
}
