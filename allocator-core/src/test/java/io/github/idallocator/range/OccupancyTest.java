package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis allocator's occupancy picture beyond the contract (allocator-tck): which precision each range size gets,
 * the per-cell counts and full-block sums against a layout built through the API, and how it reads a state that is
 * missing or stored for another range, without writing.
 */
@WithRedisServer
class OccupancyTest {

    private static final int BLOCK = 4096;

    private RedisServerProcess server;
    private RedisClient.Factory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        this.factory = RedisClient.LETTUCE.connect(server);
        this.name = "occupancy-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.close();
    }

    private RedisIdAllocator allocator(long min, long max) {
        return RedisIdAllocator.createOrAttach(
                factory.connectionFactory(),
                IdAllocatorConfig.builder(name, min, max)
                        .reuseDelay(Duration.ofMinutes(1))
                        .build(),
                "instance-a");
    }

    private String key(String suffix) {
        return "idalloc:{" + name + "}:" + suffix;
    }

    /** Expected cell values: the number of the offsets of each interval [first, last] falling in each cell. */
    private static int[] counts(long size, long idsPerCell, long[]... offsetRanges) {
        int[] cells = new int[(int) ((size + idsPerCell - 1) / idsPerCell)];
        for (long[] r : offsetRanges) {
            for (long o = r[0]; o <= r[1]; o++) {
                cells[(int) (o / idsPerCell)]++;
            }
        }
        return cells;
    }

    @Test
    void aRangeOfUpTo2p18IdsLargerThanMaxCellsIsCountedExactlyPerCellOfWholeBytes() {
        RedisIdAllocator ids = allocator(1000, 100_999);
        ids.reserveRange(1000 + 2500, 1000 + 4499);
        ids.reserve(1000 + 7);
        ids.reserve(100_999);
        ids.free(ids.reserve(1000 + 50_001).orElseThrow());

        Occupancy picture = ids.occupancy(100);

        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.COUNTED);
        assertThat(picture.idsPerCell()).isEqualTo(1000);
        assertThat(picture.cells()).isEqualTo(100);
        assertThat(picture.takenCells())
                .containsExactly(counts(
                        100_000,
                        1000,
                        new long[] {2500, 4499},
                        new long[] {7, 7},
                        new long[] {99_999, 99_999},
                        new long[] {50_001, 50_001}));
        assertThat(picture.taken(3)).isEqualTo(1000);
        assertThat(picture.taken(0)).isEqualTo(1);
    }

    @Test
    void moreThan256CountedCellsAreCountedFromTheBitmapToTheSameValues() {
        RedisIdAllocator ids = allocator(1000, 100_999);
        ids.reserveRange(1000 + 2500, 1000 + 4499);
        ids.reserve(1000 + 7);
        ids.reserve(100_999);

        Occupancy picture = ids.occupancy(12_500);

        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.COUNTED);
        assertThat(picture.idsPerCell()).isEqualTo(8);
        assertThat(picture.takenCells())
                .containsExactly(
                        counts(100_000, 8, new long[] {2500, 4499}, new long[] {7, 7}, new long[] {99_999, 99_999}));
    }

    @Test
    void theLastCountedCellCoversOnlyTheIdsLeftAtTheEndOfTheRange() {
        RedisIdAllocator ids = allocator(0, 100_000);
        ids.reserveRange(99_000, 100_000);

        Occupancy picture = ids.occupancy(100);

        // 12,501 bitmap bytes in cells of 126 bytes (1008 ids): 100 cells, the last of 100,001 - 99 * 1008 = 209 ids.
        assertThat(picture.idsPerCell()).isEqualTo(1008);
        assertThat(picture.cells()).isEqualTo(100);
        assertThat(picture.idsInCell(99)).isEqualTo(209);
        assertThat(picture.taken(99)).isEqualTo(209);
        assertThat(picture.takenCells()).containsExactly(counts(100_001, 1008, new long[] {99_000, 100_000}));
    }

    @Test
    void aRangeAbove2p18IdsSumsTheIdsOfItsFullBlocksPerCellAndCountsAPartlyUsedBlockAsNone() {
        long min = 5000;
        RedisIdAllocator ids = allocator(min, min + (1 << 20) - 1);
        ids.allocateRange(8 * BLOCK);
        ids.reserveRange(min + 8 * BLOCK, min + 8 * BLOCK + 99);
        ids.reserveRange(min + 16 * BLOCK, min + 19 * BLOCK - 1);
        ids.reserveRange(min + 19 * BLOCK, min + 19 * BLOCK + 4094);

        Occupancy picture = ids.occupancy(64);

        // 256 blocks, a summary of 32 bytes: one byte (8 blocks, 32,768 ids) per cell.
        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.FULL_BLOCKS);
        assertThat(picture.idsPerCell()).isEqualTo(8 * BLOCK);
        assertThat(picture.cells()).isEqualTo(32);
        int[] expected = new int[32];
        expected[0] = 8 * BLOCK;
        expected[2] = 3 * BLOCK;
        assertThat(picture.takenCells()).containsExactly(expected);
    }

    @Test
    void fewerCellsThanSummaryBytesGroupWholeSummaryBytes() {
        RedisIdAllocator ids = allocator(0, (1 << 20) - 1);
        ids.allocateRange(24 * BLOCK);

        Occupancy picture = ids.occupancy(10);

        // 32 summary bytes in cells of 4 bytes (32 blocks): 8 cells.
        assertThat(picture.idsPerCell()).isEqualTo(32 * BLOCK);
        assertThat(picture.cells()).isEqualTo(8);
        assertThat(picture.takenCells()).containsExactly(24 * BLOCK, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aFullLastBlockShorterThan4096CountsOnlyItsIds() {
        RedisIdAllocator ids = allocator(0, (1 << 20) + 99);
        // A lease of at least 4096 ids marks the blocks it covers full: here block 256 (100 ids) but not block 255.
        ids.reserveRange((1 << 20) - 4000, (1 << 20) + 99);

        Occupancy picture = ids.occupancy(64);

        // 257 blocks, 33 summary bytes: the 33rd cell is block 256 alone, 100 ids, all taken.
        assertThat(picture.cells()).isEqualTo(33);
        assertThat(picture.idsInCell(32)).isEqualTo(100);
        assertThat(picture.taken(32)).isEqualTo(100);
        assertThat(picture.taken(31)).isZero();
    }

    @Test
    void moreThan256FullBlockCellsAreSummedFromTheSummaryToTheSameValuesAndAShortLastBlockCountsOnlyItsIds() {
        RedisIdAllocator ids = allocator(0, (1 << 24) + 99);
        ids.allocateRange(8 * BLOCK);
        ids.reserveRange((1 << 24) - 4000, (1 << 24) + 99);

        Occupancy picture = ids.occupancy(1000);

        // 4097 blocks, 513 summary bytes, one per cell: cell 512 is block 4096 alone, 100 ids.
        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.FULL_BLOCKS);
        assertThat(picture.cells()).isEqualTo(513);
        int[] expected = new int[513];
        expected[0] = 8 * BLOCK;
        expected[512] = 100;
        assertThat(picture.takenCells()).containsExactly(expected);
    }

    @Test
    void aCellOfMoreThanIntegerMaxValueIdsSaturatesAndStaysALowerBound() {
        RedisIdAllocator ids = allocator(0, (1L << 32) - 1);
        server.command(
                "EVAL", "return redis.call('SETRANGE', KEYS[1], 0, string.rep('\\255', 131072))", "1", key("full"));

        Occupancy one = ids.occupancy(1);
        Occupancy two = ids.occupancy(2);
        Occupancy four = ids.occupancy(4);

        assertThat(one.idsPerCell()).isEqualTo(1L << 32);
        assertThat(one.takenCells()).containsExactly(Integer.MAX_VALUE);
        assertThat(two.takenCells()).containsExactly(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(four.takenCells()).containsExactly(1 << 30, 1 << 30, 1 << 30, 1 << 30);
    }

    @Test
    void aMissingStateReadsAsNothingTakenAndIsNotCreated() {
        RedisIdAllocator ids = allocator(0, 999);
        ids.free(ids.allocate(10));
        server.command("DEL", key("meta"), key("bitmap"), key("full"), key("leases"), key("resting"), key("creator"));
        Object keysBefore = server.command("KEYS", "*" + name + "*");

        Occupancy exact = ids.occupancy(1000);
        Occupancy counted = ids.occupancy(10);

        assertThat(exact.precision()).isEqualTo(Occupancy.Precision.EXACT_IDS);
        assertThat(exact.takenCells()).hasSize(1000).containsOnly(0);
        assertThat(counted.takenCells()).containsOnly(0);
        assertThat(exact.resting()).isEmpty();
        assertThat(server.command("KEYS", "*" + name + "*")).isEqualTo(keysBefore);
    }

    @Test
    void aStateStoredForAnotherRangeIsAMismatchNotAPictureOfTheWrongIds() {
        RedisIdAllocator ids = allocator(0, 999);
        server.command("HSET", key("meta"), "max", "1999");

        assertThatThrownBy(() -> ids.occupancy(100))
                .isInstanceOf(ConfigurationMismatchException.class)
                .hasMessageContaining("[0, 1999]");
    }
}
