package io.github.idallocator.snowflake;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;

/**
 * How a Snowflake id's 63 usable bits are split: {@code [time | worker id | sequence]}, the time counted in ticks of
 * {@code tick} since {@code epoch}. The sign bit stays 0, so ids are positive and sort by time.
 *
 * @param timeBits bits of the timestamp
 * @param workerBits bits of the worker id (at most 20)
 * @param sequenceBits bits of the per-tick sequence
 * @param epoch the instant of tick 0 (from 1970 on; while the clock is before it, the generator refuses to issue ids)
 * @param tick the time unit: a whole number of milliseconds
 */
public record SnowflakeLayout(int timeBits, int workerBits, int sequenceBits, Instant epoch, Duration tick) {

    /** The default epoch: 2024-01-01T00:00:00Z. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    /** The most worker bits supported: 20 (2^20 worker ids). */
    public static final int MAX_WORKER_BITS = 20;

    /** The bits of an id below the sign bit, which the three parts fill: 63. */
    public static final int BITS = 63;

    /** The classic layout: 41 time bits in milliseconds, 10 worker bits, 12 sequence bits. */
    public static final SnowflakeLayout DEFAULT = new SnowflakeLayout(41, 10, 12, DEFAULT_EPOCH, Duration.ofMillis(1));

    /**
     * Checks that the three parts fill 63 bits and the epoch and tick make sense; the {@link InvalidArgumentException}
     * names the setting, its value and what would be accepted.
     */
    public SnowflakeLayout {
        requireBits("timeBits", timeBits, 41);
        requireBits("workerBits", workerBits, 10);
        requireBits("sequenceBits", sequenceBits, 12);
        if (workerBits > MAX_WORKER_BITS) {
            throw new InvalidArgumentException(
                    "workerBits",
                    workerBits,
                    "Snowflake layout has " + workerBits + " worker bits, but at most " + MAX_WORKER_BITS
                            + " worker bits (2^" + MAX_WORKER_BITS + " worker ids) are supported",
                    "use " + MAX_WORKER_BITS + " or fewer and give the bits to timeBits or sequenceBits");
        }
        if (timeBits + workerBits + sequenceBits != BITS) {
            throw new InvalidArgumentException(
                    "timeBits",
                    timeBits,
                    "Snowflake layout " + timeBits + "/" + workerBits + "/" + sequenceBits
                            + " (time/worker/sequence bits) is invalid, as the three parts must fill the " + BITS
                            + " bits below the sign bit",
                    "use " + Math.max(1, BITS - workerBits - sequenceBits) + " (" + BITS + " - workerBits " + workerBits
                            + " - sequenceBits " + sequenceBits + "), or change the other two");
        }
        if (tick == null || tick.toMillis() < 1 || !tick.equals(Duration.ofMillis(tick.toMillis()))) {
            throw new InvalidArgumentException(
                    "tick",
                    tick,
                    "tick " + tick + " of the Snowflake layout is not a whole number of milliseconds, at least 1 ms",
                    "use a duration such as 1 ms (the default) or 10 ms");
        }
        if (epoch == null || epoch.toEpochMilli() < 0) {
            throw new InvalidArgumentException(
                    "epoch",
                    epoch,
                    "epoch " + epoch + " of the Snowflake layout is "
                            + (epoch == null ? "not set" : "before 1970-01-01"),
                    "use a recent instant, such as " + DEFAULT_EPOCH + " (the default)");
        }
    }

    private static void requireBits(String setting, int bits, int example) {
        if (bits < 1) {
            throw new InvalidArgumentException(
                    setting,
                    bits,
                    setting + " " + bits
                            + " of the Snowflake layout is below 1, but each part of the id needs at least 1 bit",
                    "use a value such as " + example + " (the default)");
        }
    }

    /**
     * Checks that ids can be issued at {@code epochMillis}: the epoch is not in the future and the time bits have not
     * run out. A generator checks this against its wall clock when it is built.
     *
     * @throws InvalidArgumentException for the setting {@code epoch} or {@code timeBits}
     */
    public void requireUsableAt(long epochMillis) {
        Instant now = Instant.ofEpochMilli(epochMillis);
        if (epoch.isAfter(now)) {
            throw new InvalidArgumentException(
                    "epoch",
                    epoch,
                    "epoch " + epoch + " of the Snowflake layout lies in the future, so the clock is before "
                            + "timestamp 0",
                    "use an instant in the past, such as " + DEFAULT_EPOCH + " (the default)");
        }
        if (tickOf(epochMillis) > maxTicks()) {
            throw new InvalidArgumentException(
                    "timeBits",
                    timeBits,
                    "timeBits " + timeBits + " of the Snowflake layout are too few, as with tick " + tick
                            + " and epoch " + epoch + " the timestamps ran out on " + exhaustedAt(),
                    "use more time bits (taking them from workerBits or sequenceBits), or move the epoch later");
        }
    }

    /**
     * Checks that the worker ids {@code [minId, maxId]} of a worker-id allocator fit the worker bits.
     *
     * @throws InvalidArgumentException for the setting {@code minId} or {@code maxId}
     */
    public void requireWorkerIdRange(long minId, long maxId) {
        String range = "worker-id range [" + minId + ", " + maxId + "] does not fit the layout's " + workerBits
                + " worker bits";
        if (minId < 0 || minId > maxWorkerId()) {
            throw new InvalidArgumentException(
                    "minId",
                    minId,
                    range + ", whose worker ids run from 0 to " + maxWorkerId(),
                    "use a first worker id from 0 to " + maxWorkerId());
        }
        if (maxId > maxWorkerId()) {
            throw new InvalidArgumentException(
                    "maxId",
                    maxId,
                    range + ", whose largest worker id is " + maxWorkerId(),
                    "use at most " + maxWorkerId() + ", or more worker bits");
        }
    }

    /** The largest worker id: {@code 2^workerBits - 1}. */
    public long maxWorkerId() {
        return (1L << workerBits) - 1;
    }

    /** The largest sequence within one tick. */
    public long maxSequence() {
        return (1L << sequenceBits) - 1;
    }

    /** The largest tick count the time bits hold. */
    public long maxTicks() {
        return (1L << timeBits) - 1;
    }

    /** The first instant whose timestamp no longer fits the time bits. */
    public Instant exhaustedAt() {
        return epoch.plus(tick.multipliedBy(maxTicks() + 1));
    }

    /** The tick of an instant given in epoch milliseconds (may be negative before the epoch). */
    long tickOf(long epochMillis) {
        return Math.floorDiv(epochMillis - epoch.toEpochMilli(), tick.toMillis());
    }

    /** The instant at which the given tick starts. */
    Instant instantOf(long tick) {
        return epoch.plus(this.tick.multipliedBy(tick));
    }
}
