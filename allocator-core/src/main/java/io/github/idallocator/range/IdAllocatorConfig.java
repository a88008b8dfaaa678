package io.github.idallocator.range;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.KeyNames;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of one range allocator; every value is checked here, before Redis is touched.
 *
 * @param name the allocator's name, part of every key ({@code [A-Za-z0-9._-]}, 1 to 100 characters)
 * @param minId the first id handed out (0 or more)
 * @param maxId the last id handed out (inclusive); the range holds at most {@value #MAX_SIZE} ids
 * @param defaultTtl lease time of allocations that name none; {@link IdAllocator#NO_EXPIRY} for leases that never
 *     expire (explicit only)
 * @param reuseDelay how long a freed or expired id rests before it is handed out again (zero: at once)
 * @param cleanupInterval how often the creator reclaims expired leases
 * @param keyPrefix first part of every key ({@code [A-Za-z0-9._:-]}, 1 to 100 characters)
 * @param creatorTtl how long the creator lease lasts without renewal; a consumer takes over within this time
 * @param heartbeatInterval how often an instance renews (or tries to take) the creator lease; shorter than creatorTtl
 * @param recoveryPeriod after Redis lost this allocator's state (or it is new), how long new grants are refused so that
 *     holders still alive can re-register their leases ({@link IdAllocator#extendTtl(Lease, Duration)}); zero hands
 *     ids out at once, as before. When positive, no lease may last longer than it (nor forever).
 * @param replicaAcks how many replicas must confirm each write that hands out or extends a lease before the caller
 *     gets it (Redis {@code WAIT}); zero does not wait
 * @param replicaAckTimeout how long to wait for those confirmations
 */
public record IdAllocatorConfig(
        String name,
        long minId,
        long maxId,
        Duration defaultTtl,
        Duration reuseDelay,
        Duration cleanupInterval,
        String keyPrefix,
        Duration creatorTtl,
        Duration heartbeatInterval,
        Duration recoveryPeriod,
        int replicaAcks,
        Duration replicaAckTimeout) {

    /** The largest number of ids one allocator can hold (Redis bitmaps address 2^32 bits). */
    public static final long MAX_SIZE = 1L << 32;

    /** The longest lease or rest time accepted, other than {@link IdAllocator#NO_EXPIRY}: 100 years. */
    public static final Duration MAX_TTL = ChronoUnit.YEARS.getDuration().multipliedBy(100);

    /** Default lease time: 5 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** Default reuse delay: 1 second. */
    public static final Duration DEFAULT_REUSE_DELAY = Duration.ofSeconds(1);

    /** Default cleanup interval: 10 seconds. */
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofSeconds(10);

    /** Default key prefix: {@code idalloc}. */
    public static final String DEFAULT_KEY_PREFIX = "idalloc";

    /** Default creator lease: 15 seconds. */
    public static final Duration DEFAULT_CREATOR_TTL = Duration.ofSeconds(15);

    /** Default heartbeat interval: 5 seconds. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    /** Default recovery period: zero (ids are handed out at once after Redis lost the allocator's state). */
    public static final Duration DEFAULT_RECOVERY_PERIOD = Duration.ZERO;

    /** The longest recovery period accepted: 1 hour. */
    public static final Duration MAX_RECOVERY_PERIOD = Duration.ofHours(1);

    /** Default replica acknowledgements: none. */
    public static final int DEFAULT_REPLICA_ACKS = 0;

    /** The most replica acknowledgements that can be asked for: 16. */
    public static final int MAX_REPLICA_ACKS = 16;

    /** Default time to wait for replica acknowledgements: 1 second. */
    public static final Duration DEFAULT_REPLICA_ACK_TIMEOUT = Duration.ofSeconds(1);

    /** Checks every value; the message of the exception names the value and what would be accepted. */
    public IdAllocatorConfig {
        KeyNames.of(keyPrefix, name);
        if (minId < 0) {
            throw new InvalidArgumentException(
                    "minId " + minId + " of allocator '" + name + "' is negative: ids start at 0 or above");
        }
        if (maxId < minId) {
            throw new InvalidArgumentException(
                    "maxId " + maxId + " of allocator '" + name + "' is below minId " + minId + ": set maxId >= minId");
        }
        if (maxId - minId + 1 > MAX_SIZE || maxId - minId + 1 <= 0) {
            throw new InvalidArgumentException("range [" + minId + ", " + maxId + "] of allocator '" + name + "' holds "
                    + "more than " + MAX_SIZE + " ids (the size of a Redis bitmap): split it into several allocators");
        }
        requireTtl("defaultTtl", defaultTtl, name);
        requireNonNegative("reuseDelay", reuseDelay, name);
        requirePositive("cleanupInterval", cleanupInterval, name);
        requirePositive("creatorTtl", creatorTtl, name);
        requirePositive("heartbeatInterval", heartbeatInterval, name);
        if (heartbeatInterval.compareTo(creatorTtl) >= 0) {
            throw new InvalidArgumentException("heartbeatInterval " + heartbeatInterval + " of allocator '" + name
                    + "' is not shorter than creatorTtl " + creatorTtl
                    + ": the creator lease would lapse between heartbeats; use at most a third of creatorTtl");
        }
        requireNonNegative("recoveryPeriod", recoveryPeriod, name);
        if (recoveryPeriod.compareTo(MAX_RECOVERY_PERIOD) > 0) {
            throw new InvalidArgumentException(
                    "recoveryPeriod " + recoveryPeriod + " of allocator '" + name + "' is longer than "
                            + MAX_RECOVERY_PERIOD + ": use the longest lease time your instances ask for");
        }
        if (!recoveryPeriod.isZero()
                && (IdAllocator.NO_EXPIRY.equals(defaultTtl) || defaultTtl.compareTo(recoveryPeriod) > 0)) {
            throw new InvalidArgumentException("defaultTtl " + defaultTtl + " of allocator '" + name
                    + "' is longer than its recoveryPeriod " + recoveryPeriod + ": a holder could outlive the wait "
                    + "after Redis lost data; raise recoveryPeriod to at least the longest lease time, or set it to 0");
        }
        requireReplicaAcks(replicaAcks, replicaAckTimeout, "allocator '" + name + "'");
    }

    /**
     * Checks replica acknowledgement settings (shared by every primitive that confirms its writes with {@code WAIT}):
     * 0 to {@value #MAX_REPLICA_ACKS} replicas, a timeout of 1 ms to 1 minute. {@code owner} names what they configure,
     * for example {@code sequence 'orders'}.
     */
    public static void requireReplicaAcks(int replicaAcks, @Nullable Duration replicaAckTimeout, String owner) {
        if (replicaAcks < 0 || replicaAcks > MAX_REPLICA_ACKS) {
            throw new InvalidArgumentException("replicaAcks " + replicaAcks + " of " + owner
                    + " is out of range: use 0 (no WAIT) to " + MAX_REPLICA_ACKS);
        }
        if (replicaAckTimeout == null
                || replicaAckTimeout.toMillis() < 1
                || replicaAckTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidArgumentException("replicaAckTimeout " + replicaAckTimeout + " of " + owner
                    + " is out of range: use 1 ms to 1 minute (callers block that long when a replica is down)");
        }
    }

    private static void requireSet(String what, @Nullable Duration value, String allocator) {
        if (value == null) {
            throw new InvalidArgumentException(what + " of allocator '" + allocator + "' is not set: give a Duration");
        }
    }

    /** A builder with the defaults above for everything but name and range. */
    public static Builder builder(String name, long minId, long maxId) {
        return new Builder(name, minId, maxId);
    }

    /** The number of ids in the range. */
    public long size() {
        return maxId - minId + 1;
    }

    /** Checks a lease time: at least 1 ms and at most {@link #MAX_TTL}, or {@link IdAllocator#NO_EXPIRY}. */
    static Duration requireTtl(String what, Duration ttl, String allocator) {
        requireSet(what, ttl, allocator);
        if (IdAllocator.NO_EXPIRY.equals(ttl)) {
            return ttl;
        }
        if (ttl.toMillis() < 1 || ttl.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(
                    what + " " + ttl + " of allocator '" + allocator + "' is out of range: use "
                            + "1 ms to 100 years, or IdAllocator.NO_EXPIRY for a lease that never expires");
        }
        return ttl;
    }

    private static void requirePositive(String what, Duration value, String allocator) {
        requireSet(what, value, allocator);
        if (value.toMillis() < 1 || value.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(what + " " + value + " of allocator '" + allocator
                    + "' must be at least 1 ms (and at most 100 years)");
        }
    }

    private static void requireNonNegative(String what, Duration value, String allocator) {
        requireSet(what, value, allocator);
        if (value.isNegative() || value.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(what + " " + value + " of allocator '" + allocator
                    + "' must be zero or more (and at most 100 years)");
        }
    }

    /** Builds an {@link IdAllocatorConfig}; unset values take the documented defaults. */
    public static final class Builder {
        private final String name;
        private final long minId;
        private final long maxId;
        private Duration defaultTtl = DEFAULT_TTL;
        private Duration reuseDelay = DEFAULT_REUSE_DELAY;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration creatorTtl = DEFAULT_CREATOR_TTL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration recoveryPeriod = DEFAULT_RECOVERY_PERIOD;
        private int replicaAcks = DEFAULT_REPLICA_ACKS;
        private Duration replicaAckTimeout = DEFAULT_REPLICA_ACK_TIMEOUT;

        private Builder(String name, long minId, long maxId) {
            this.name = name;
            this.minId = minId;
            this.maxId = maxId;
        }

        /** Lease time of allocations that name none. */
        public Builder defaultTtl(Duration value) {
            this.defaultTtl = value;
            return this;
        }

        /** How long freed or expired ids rest before they are handed out again. */
        public Builder reuseDelay(Duration value) {
            this.reuseDelay = value;
            return this;
        }

        /** How often the creator reclaims expired leases. */
        public Builder cleanupInterval(Duration value) {
            this.cleanupInterval = value;
            return this;
        }

        /** First part of every key. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /** How long the creator lease lasts without renewal. */
        public Builder creatorTtl(Duration value) {
            this.creatorTtl = value;
            return this;
        }

        /** How often the creator lease is renewed or tried. */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** How long new grants are refused after Redis lost the allocator's state (zero: not at all). */
        public Builder recoveryPeriod(Duration value) {
            this.recoveryPeriod = value;
            return this;
        }

        /** How many replicas must confirm each grant or extension (zero: no {@code WAIT}). */
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
        public IdAllocatorConfig build() {
            return new IdAllocatorConfig(
                    name,
                    minId,
                    maxId,
                    defaultTtl,
                    reuseDelay,
                    cleanupInterval,
                    keyPrefix,
                    creatorTtl,
                    heartbeatInterval,
                    recoveryPeriod,
                    replicaAcks,
                    replicaAckTimeout);
        }
    }
}
