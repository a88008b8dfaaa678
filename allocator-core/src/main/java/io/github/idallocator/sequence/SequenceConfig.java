package io.github.idallocator.sequence;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.range.IdAllocatorConfig;
import java.time.Duration;
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
 * @param recoveryPeriod after Redis lost the sequence (or when it is new), how long new instances (those not yet granted
 *     a segment) are refused with {@link io.github.idallocator.RecoveringException}, so that running instances can
 *     re-register the ids they hold first; also the lease of a running instance's segments: it re-registers at least
 *     every third of it, and stops handing out ids from its segments when it could not for two thirds of it. Zero
 *     turns all of this off (new instances are served at once after a loss, as before, and segments are held
 *     however long Redis is unreachable). Zero, or 100 ms to 1 hour.
 * @param replicaAcks how many replicas must confirm each segment granted, and each repair, before the instance uses
 *     it (Redis {@code WAIT}); zero does not wait
 * @param replicaAckTimeout how long to wait for those confirmations
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
        long repairGap,
        Duration recoveryPeriod,
        int replicaAcks,
        Duration replicaAckTimeout) {

    /** Default segment size: 1000 ids. */
    public static final int DEFAULT_STEP = 1000;

    /** Default largest segment: 1,000,000 ids. */
    public static final int DEFAULT_MAX_STEP = 1_000_000;

    /** Default prefetch threshold: the next segment is fetched when 20% of the current one is left. */
    public static final double DEFAULT_PREFETCH_THRESHOLD = 0.2;

    /** Default repair gap: 2^32 ids. */
    public static final long DEFAULT_REPAIR_GAP = 1L << 32;

    /**
     * Default recovery period: 10 seconds. A segment survives a Redis outage of up to two thirds of it (6.7 s: a
     * restart or a Sentinel failover usually fits), running instances re-register every 3.3 s, and a sequence's first
     * start (indistinguishable, in Redis, from a loss) waits for 10 s before new instances are served.
     */
    public static final Duration DEFAULT_RECOVERY_PERIOD = Duration.ofSeconds(10);

    /** The shortest recovery period other than zero: 100 ms. */
    public static final Duration MIN_RECOVERY_PERIOD = Duration.ofMillis(100);

    /** The longest recovery period: 1 hour. */
    public static final Duration MAX_RECOVERY_PERIOD = Duration.ofHours(1);

    /** The largest repair gap: 2^40 ids. */
    public static final long MAX_REPAIR_GAP = 1L << 40;

    /**
     * Checks every value; the {@link InvalidArgumentException} names the setting, its value and what would be
     * accepted.
     */
    public SequenceConfig {
        IdAllocatorConfig.requireName(name, "sequence");
        IdAllocatorConfig.requireKeyPrefix(keyPrefix);
        String owner = "sequence '" + name + "'";
        int most = RedisSequenceAllocator.MAX_STEP;
        if (step < 1 || step > most) {
            throw new InvalidArgumentException(
                    "step",
                    step,
                    "step " + step + " of " + owner + " must be 1 to " + most,
                    "use a value such as " + DEFAULT_STEP + " (the default)");
        }
        if (maxStep < step || maxStep > most) {
            throw new InvalidArgumentException(
                    "maxStep",
                    maxStep,
                    "maxStep " + maxStep + " of " + owner + " must be between step " + step + " and " + most,
                    "use " + step + " or more (equal to step turns adaptation off)");
        }
        if (!(prefetchThreshold > 0 && prefetchThreshold < 1)) {
            throw new InvalidArgumentException(
                    "prefetchThreshold",
                    prefetchThreshold,
                    "prefetchThreshold " + prefetchThreshold + " of " + owner + " must be above 0 and below 1 (the "
                            + "share of a segment left when the next one is fetched)",
                    "use a value such as " + DEFAULT_PREFETCH_THRESHOLD + " (the default)");
        }
        if (initialValue < 0) {
            throw new InvalidArgumentException(
                    "initialValue",
                    initialValue,
                    "initialValue " + initialValue + " of " + owner + " is negative (ids are 0 or more)",
                    "use 0 or more");
        }
        if (floor < 0) {
            throw new InvalidArgumentException(
                    "floor",
                    floor,
                    "floor " + floor + " of " + owner + " is negative (ids are 0 or more)",
                    "use 0 or more");
        }
        if (repairGap < 0 || repairGap > MAX_REPAIR_GAP) {
            throw new InvalidArgumentException(
                    "repairGap",
                    repairGap,
                    "repairGap " + repairGap + " of " + owner + " must be 0 to 2^40",
                    "use a value such as " + DEFAULT_REPAIR_GAP + " (2^32, the default)");
        }
        String recoveryFix = "use a duration such as " + DEFAULT_RECOVERY_PERIOD
                + " (the default), or zero where only this process uses Redis";
        if (recoveryPeriod == null) {
            throw new InvalidArgumentException(
                    "recoveryPeriod", null, "recoveryPeriod of " + owner + " is not set", recoveryFix);
        }
        if (!recoveryPeriod.isZero()
                && (recoveryPeriod.compareTo(MIN_RECOVERY_PERIOD) < 0
                        || recoveryPeriod.compareTo(MAX_RECOVERY_PERIOD) > 0)) {
            throw new InvalidArgumentException(
                    "recoveryPeriod",
                    recoveryPeriod,
                    "recoveryPeriod " + recoveryPeriod + " of " + owner + " must be zero (off) or "
                            + MIN_RECOVERY_PERIOD + " to " + MAX_RECOVERY_PERIOD + ", as new instances wait that long "
                            + "after Redis lost the sequence and segments are leased for two thirds of it",
                    recoveryFix);
        }
        IdAllocatorConfig.requireReplicaAcks(replicaAcks, replicaAckTimeout, owner);
    }

    /** A builder with the defaults for everything but the name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link SequenceConfig}. */
    public static final class Builder {
        private final String name;
        private String keyPrefix = IdAllocatorConfig.DEFAULT_KEY_PREFIX;
        private int step = DEFAULT_STEP;
        private @Nullable Integer maxStep;
        private double prefetchThreshold = DEFAULT_PREFETCH_THRESHOLD;
        private long initialValue = 1;
        private long floor;
        private boolean strict;
        private long repairGap = DEFAULT_REPAIR_GAP;
        private Duration recoveryPeriod = DEFAULT_RECOVERY_PERIOD;
        private int replicaAcks = IdAllocatorConfig.DEFAULT_REPLICA_ACKS;
        private Duration replicaAckTimeout = IdAllocatorConfig.DEFAULT_REPLICA_ACK_TIMEOUT;

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

        /**
         * How long new instances are refused after Redis lost the sequence (or when it is new), and the lease of a
         * running instance's segments; zero: off.
         */
        public Builder recoveryPeriod(Duration value) {
            this.recoveryPeriod = value;
            return this;
        }

        /** How many replicas must confirm each segment granted (and each repair) before it is used; zero: no WAIT. */
        public Builder replicaAcks(int value) {
            this.replicaAcks = value;
            return this;
        }

        /** How long to wait for the replicas' confirmations. */
        public Builder replicaAckTimeout(Duration value) {
            this.replicaAckTimeout = value;
            return this;
        }

        /** Checks and returns the configuration. */
        public SequenceConfig build() {
            int max = maxStep != null
                    ? maxStep
                    : Math.max(step, Math.min(DEFAULT_MAX_STEP, RedisSequenceAllocator.MAX_STEP));
            return new SequenceConfig(
                    name,
                    keyPrefix,
                    step,
                    max,
                    prefetchThreshold,
                    initialValue,
                    floor,
                    strict,
                    repairGap,
                    recoveryPeriod,
                    replicaAcks,
                    replicaAckTimeout);
        }
    }
}
