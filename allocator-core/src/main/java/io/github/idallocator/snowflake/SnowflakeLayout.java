package io.github.idallocator.snowflake;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

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

    /** The classic layout: 41 time bits in milliseconds, 10 worker bits, 12 sequence bits. */
    public static final SnowflakeLayout DEFAULT = new SnowflakeLayout(41, 10, 12, DEFAULT_EPOCH, Duration.ofMillis(1));

    /** Checks that the three parts fill 63 bits and the epoch and tick make sense. */
    public SnowflakeLayout {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(tick, "tick");
        if (timeBits < 1 || workerBits < 1 || sequenceBits < 1 || timeBits + workerBits + sequenceBits != 63) {
            throw new InvalidArgumentException("Snowflake layout " + timeBits + "/" + workerBits + "/" + sequenceBits
                    + " (time/worker/sequence bits) is invalid: each part needs at least 1 bit and together they must "
                    + "be 63 (the sign bit stays 0), for example 41/10/12");
        }
        if (workerBits > 20) {
            throw new InvalidArgumentException("Snowflake layout has " + workerBits + " worker bits: at most 20 are "
                    + "supported (2^20 worker ids); give the bits to time or sequence");
        }
        if (tick.toMillis() < 1 || !tick.equals(Duration.ofMillis(tick.toMillis()))) {
            throw new InvalidArgumentException(
                    "Snowflake tick " + tick + " is invalid: use a whole number of milliseconds, at least 1 ms");
        }
        if (epoch.toEpochMilli() < 0) {
            throw new InvalidArgumentException("Snowflake epoch " + epoch + " is before 1970-01-01");
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
