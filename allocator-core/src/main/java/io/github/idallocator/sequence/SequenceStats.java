package io.github.idallocator.sequence;

import java.time.Duration;

/**
 * Counters of one sequence on this instance.
 *
 * @param name the sequence's name
 * @param lastHandedOut the highest id handed out by this instance (-1 before the first)
 * @param highWaterMark the highest id granted to this instance by Redis (-1 before the first segment)
 * @param step the current segment size
 * @param segmentsFetched segments granted to this instance
 * @param reserved ids granted to this instance
 * @param handedOut ids handed out by this instance; {@code reserved - handedOut} is at most the current and the
 *     prefetched segment, plus skipped block remainders and segments dropped because their lease ran out
 * @param repairs times Redis offered a counter below this instance's floor (see {@link SequenceRepair})
 * @param lastRefillLatency duration of the last Redis call that granted a segment
 * @param strict whether every id comes from Redis
 */
public record SequenceStats(
        String name,
        long lastHandedOut,
        long highWaterMark,
        int step,
        long segmentsFetched,
        long reserved,
        long handedOut,
        long repairs,
        Duration lastRefillLatency,
        boolean strict) {}
