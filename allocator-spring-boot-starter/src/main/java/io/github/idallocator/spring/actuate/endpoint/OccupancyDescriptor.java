package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.range.Occupancy;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The occupancy picture of an allocator, for {@code GET /actuator/idallocator/occupancy/{name}}: which ids are taken
 * (leased or resting), read from Redis with one read-only script of bounded cost.
 *
 * @param allocator the allocator's name
 * @param minId the first id of the range
 * @param maxId the last id of the range
 * @param precision {@code EXACT_IDS} (one cell per id; {@code bits} holds them), {@code COUNTED} (each cell counts
 *     its taken ids exactly) or {@code FULL_BLOCKS} (each cell counts the ids of its full 4,096-id blocks: a lower
 *     bound)
 * @param idsPerCell the ids one cell stands for (the last cell may stand for fewer)
 * @param cells the number of cells
 * @param bits with {@code EXACT_IDS}: base64 of one bit per id, the first id in the highest bit of the first byte, 1
 *     for taken; else {@code null}
 * @param taken without {@code EXACT_IDS}: the taken ids per cell; else {@code null}
 * @param resting ranges of ids waiting out the reuse delay (at most 256, the first ones)
 * @param restingTruncated whether there were more resting ranges than listed
 * @param readAt when the picture was read, by Redis's clock
 */
public record OccupancyDescriptor(
        String allocator,
        long minId,
        long maxId,
        String precision,
        long idsPerCell,
        int cells,
        @Nullable String bits,
        int @Nullable [] taken,
        List<RestingRange> resting,
        boolean restingTruncated,
        Instant readAt) {

    static OccupancyDescriptor of(String allocator, Occupancy occupancy) {
        boolean exact = occupancy.precision() == Occupancy.Precision.EXACT_IDS;
        int[] cells = occupancy.takenCells();
        String bits = null;
        if (exact) {
            byte[] packed = new byte[(cells.length + 7) / 8];
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] != 0) {
                    packed[i >> 3] |= (byte) (0x80 >>> (i & 7));
                }
            }
            bits = Base64.getEncoder().encodeToString(packed);
        }
        return new OccupancyDescriptor(
                allocator,
                occupancy.minId(),
                occupancy.maxId(),
                occupancy.precision().name(),
                occupancy.idsPerCell(),
                occupancy.cells(),
                bits,
                exact ? null : cells,
                occupancy.resting().stream()
                        .map(range -> new RestingRange(range.first(), range.last()))
                        .toList(),
                occupancy.restingTruncated(),
                occupancy.readAt());
    }

    /**
     * Ids freed and waiting out the allocator's reuse delay.
     *
     * @param first the first id
     * @param last the last id
     */
    public record RestingRange(long first, long last) {}
}
