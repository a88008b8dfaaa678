package io.github.idallocator.sequence;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.redis.KeyNames;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of one sequence; every value is checked here, before Redis is touched.
 *
 * @param name the sequence's name, part of its key ({@code [A-Za-z0-9._-]}, 1 to 100 characters)
 * @param keyPrefix first part of the key
 * @param step ids per segment fetched from Redis (the minimum when the step adapts)
 * @param maxStep the largest segment the step may grow to under load (equal to step: no adaptation)
 * @param prefetchThreshold share of a segment left when the next one is fetched in the background (0 to 1, exclusive)
 * @param initialValue the first id of a sequence not yet in Redis
 * @param floor the lowest id ever handed out, also by new instances after Redis lost data (0: none)
 * @param strict every id from Redis (one round trip per call): ids increase across all instances
 * @param repairGap added to this instance's high-water mark when Redis is found to have lost the counter, to stay
 *     clear of ids other instances were granted since this instance's last segment
 */
public record SequenceConfig(
        String name,
        String keyPrefix,
        int step,
        int maxStep,
        double prefetchThreshold,
        long initialValue,
        long floor,
        boolean strict,
        long repairGap) {

    /** Default segment size: 1000 ids. */
    public static final int DEFAULT_STEP = 1000;

    /** Default largest segment: 1,000,000 ids. */
    public static final int DEFAULT_MAX_STEP = 1_000_000;

    /** Default prefetch threshold: the next segment is fetched when 20% of the current one is left. */
    public static final double DEFAULT_PREFETCH_THRESHOLD = 0.2;

    /** Default repair gap: 2^32 ids. */
    public static final long DEFAULT_REPAIR_GAP = 1L << 32;

    /** Checks every value; the message names the value and what would be accepted. */
    public SequenceConfig {
        KeyNames.of(keyPrefix, name);
        if (step < 1 || step > RedisSequenceAllocator.MAX_STEP) {
            throw new InvalidArgumentException("step " + step + " of sequence '" + name + "' is out of range: use 1 to "
                    + RedisSequenceAllocator.MAX_STEP);
        }
        if (maxStep < step || maxStep > RedisSequenceAllocator.MAX_STEP) {
            throw new InvalidArgumentException("maxStep " + maxStep + " of sequence '" + name
                    + "' must be between step " + step + " and " + RedisSequenceAllocator.MAX_STEP);
        }
        if (!(prefetchThreshold > 0 && prefetchThreshold < 1)) {
            throw new InvalidArgumentException("prefetchThreshold " + prefetchThreshold + " of sequence '" + name
                    + "' must be between 0 and 1 (exclusive), e.g. 0.2: fetch the next segment when 20% is left");
        }
        if (initialValue < 0 || floor < 0) {
            throw new InvalidArgumentException("initialValue " + initialValue + " and floor " + floor + " of sequence '"
                    + name + "' must be 0 or more");
        }
        if (repairGap < 0 || repairGap > 1L << 40) {
            throw new InvalidArgumentException(
                    "repairGap " + repairGap + " of sequence '" + name + "' must be between 0 and 2^40");
        }
    }

    /** A builder with the defaults for everything but the name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link SequenceConfig}. */
    public static final class Builder {
        private final String name;
        private String keyPrefix = "idalloc";
        private int step = DEFAULT_STEP;
        private @Nullable Integer maxStep;
        private double prefetchThreshold = DEFAULT_PREFETCH_THRESHOLD;
        private long initialValue = 1;
        private long floor;
        private boolean strict;
        private long repairGap = DEFAULT_REPAIR_GAP;

        private Builder(String name) {
            this.name = name;
        }

        /** First part of the key. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /** Ids per segment (and the smallest adaptive step). */
        public Builder step(int value) {
            this.step = value;
            return this;
        }

        /** The largest adaptive step (default: the larger of step and {@value #DEFAULT_MAX_STEP}). */
        public Builder maxStep(int value) {
            this.maxStep = value;
            return this;
        }

        /** Share of a segment left when the next one is prefetched. */
        public Builder prefetchThreshold(double value) {
            this.prefetchThreshold = value;
            return this;
        }

        /** First id of a new sequence. */
        public Builder initialValue(long value) {
            this.initialValue = value;
            return this;
        }

        /** Lowest id ever handed out. */
        public Builder floor(long value) {
            this.floor = value;
            return this;
        }

        /** Every id from Redis. */
        public Builder strict(boolean value) {
            this.strict = value;
            return this;
        }

        /** Gap added to the high-water mark when data loss is detected. */
        public Builder repairGap(long value) {
            this.repairGap = value;
            return this;
        }

        /** Checks and returns the configuration. */
        public SequenceConfig build() {
            int max = maxStep != null
                    ? maxStep
                    : Math.max(step, Math.min(DEFAULT_MAX_STEP, RedisSequenceAllocator.MAX_STEP));
            return new SequenceConfig(
                    name, keyPrefix, step, max, prefetchThreshold, initialValue, floor, strict, repairGap);
        }
    }
}
