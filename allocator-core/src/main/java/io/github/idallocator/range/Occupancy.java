package io.github.idallocator.range;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A picture of which parts of an allocator's range are taken, from {@link IdAllocator#occupancy(int)}: the range cut
 * into {@link #cells()} consecutive cells of {@link #idsPerCell()} ids each (the last one may cover fewer, {@link
 * #idsInCell(int)}), with the number of taken ids of each cell, plus the resting intervals. An id is taken when it is
 * leased (including a lease that expired but was not reclaimed yet) or resting (freed, waiting out the reuse delay).
 * How exact a cell's value is depends on what could be read at a bounded cost: {@link #precision()}. Immutable; read
 * in one atomic script at server time {@link #readAt()}.
 */
public final class Occupancy {

    /** How exact the cells' values are. */
    public enum Precision {
        /** One cell per id ({@link #idsPerCell()} is 1); the value is 1 when the id is taken, else 0. */
        EXACT_IDS,
        /** The value is the exact number of taken ids in the cell. */
        COUNTED,
        /**
         * The value is the number of ids in the cell's 4096-id blocks that are completely taken: a lower bound, since a
         * block with a single free id counts 0 (and a block is known to be full only once an allocation found it so, or
         * a range lease covered it). Used for ranges above 2^18 ids when the range does not fit the cells id by id.
         * Saturates at {@link Integer#MAX_VALUE} (a cell of more than 2^31 - 1 ids: at most 2 cells over a range of
         * more than 2^31 ids), which keeps it a lower bound.
         */
        FULL_BLOCKS
    }

    /**
     * An interval of ids, both ends included.
     *
     * @param first the first id
     * @param last the last id, at least {@code first}
     */
    public record IdRange(long first, long last) {

        /** Checks that the interval is not empty. */
        public IdRange {
            if (last < first) {
                throw new IllegalArgumentException("IdRange [" + first + ", " + last + "] is empty");
            }
        }

        /** The number of ids in the interval. */
        public long size() {
            return last - first + 1;
        }
    }

    /** The most resting intervals a picture lists; {@link #restingTruncated()} says when there were more. */
    public static final int MAX_RESTING = 256;

    private final long minId;
    private final long maxId;
    private final long idsPerCell;
    private final Precision precision;
    private final int[] taken;
    private final List<IdRange> resting;
    private final boolean restingTruncated;
    private final Instant readAt;

    /**
     * Creates a picture; the arrays and lists are copied.
     *
     * @param minId the first id of the range
     * @param maxId the last id of the range
     * @param idsPerCell the ids of every cell but the last, 1 for {@link Precision#EXACT_IDS}
     * @param precision how exact the values are
     * @param taken one value per cell, covering the range: {@code ceil((maxId - minId + 1) / idsPerCell)} cells
     * @param resting at most {@value #MAX_RESTING} resting intervals, sorted by first id
     * @param restingTruncated whether more intervals were resting than {@code resting} lists
     * @param readAt the server time of the read
     */
    public Occupancy(
            long minId,
            long maxId,
            long idsPerCell,
            Precision precision,
            int[] taken,
            List<IdRange> resting,
            boolean restingTruncated,
            Instant readAt) {
        if (maxId < minId || idsPerCell < 1) {
            throw new IllegalArgumentException(
                    "occupancy of [" + minId + ", " + maxId + "] with " + idsPerCell + " ids per cell is invalid");
        }
        long size = maxId - minId + 1;
        long cells = (size + idsPerCell - 1) / idsPerCell;
        if (taken.length != cells) {
            throw new IllegalArgumentException("occupancy of [" + minId + ", " + maxId + "] with " + idsPerCell
                    + " ids per cell has " + cells + " cells, not " + taken.length);
        }
        if (resting.size() > MAX_RESTING) {
            throw new IllegalArgumentException("occupancy lists at most " + MAX_RESTING + " resting intervals");
        }
        this.minId = minId;
        this.maxId = maxId;
        this.idsPerCell = idsPerCell;
        this.precision = Objects.requireNonNull(precision, "precision");
        this.taken = taken.clone();
        this.resting = List.copyOf(resting);
        this.restingTruncated = restingTruncated;
        this.readAt = Objects.requireNonNull(readAt, "readAt");
    }

    /** The first id of the range. */
    public long minId() {
        return minId;
    }

    /** The last id of the range. */
    public long maxId() {
        return maxId;
    }

    /** The ids each cell covers (the last one may cover fewer, {@link #idsInCell(int)}); 1 when exact. */
    public long idsPerCell() {
        return idsPerCell;
    }

    /** The number of cells, at most the {@code maxCells} asked for. */
    public int cells() {
        return taken.length;
    }

    /** The first id of cell {@code cell}. */
    public long firstIdOfCell(int cell) {
        checkCell(cell);
        return minId + cell * idsPerCell;
    }

    /** The ids cell {@code cell} covers: {@link #idsPerCell()}, or fewer for the last cell. */
    public long idsInCell(int cell) {
        checkCell(cell);
        return Math.min(idsPerCell, maxId - firstIdOfCell(cell) + 1);
    }

    /** How exact the values are. */
    public Precision precision() {
        return precision;
    }

    /** The taken ids of cell {@code cell}, 0 to {@link #idsInCell(int)}; see {@link #precision()}. */
    public int taken(int cell) {
        checkCell(cell);
        return taken[cell];
    }

    /** The taken ids of every cell, in order (a copy). */
    public int[] takenCells() {
        return taken.clone();
    }

    /**
     * The resting intervals (ids freed and waiting out the reuse delay), sorted by first id: all of them, or, when
     * {@link #restingTruncated()}, the {@value #MAX_RESTING} that become free soonest.
     */
    public List<IdRange> resting() {
        return resting;
    }

    /** Whether more intervals were resting than {@link #resting()} lists. */
    public boolean restingTruncated() {
        return restingTruncated;
    }

    /** The Redis server time of the read. */
    public Instant readAt() {
        return readAt;
    }

    private void checkCell(int cell) {
        if (cell < 0 || cell >= taken.length) {
            throw new IndexOutOfBoundsException("cell " + cell + " of " + taken.length);
        }
    }

    @Override
    public String toString() {
        return "Occupancy[" + minId + ".." + maxId + ", " + taken.length + " cells of " + idsPerCell + " ids, "
                + precision + ", " + resting.size() + (restingTruncated ? "+" : "") + " resting, read at " + readAt
                + "]";
    }
}
