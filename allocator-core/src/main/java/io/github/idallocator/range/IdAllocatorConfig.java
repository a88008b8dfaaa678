package io.github.idallocator.range;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.KeyNames;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

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

    /** The longest time to wait for replica acknowledgements: 1 minute (callers block that long). */
    public static final Duration MAX_REPLICA_ACK_TIMEOUT = Duration.ofMinutes(1);

    /**
     * Checks every value; the {@link InvalidArgumentException} names the setting, its value and what would be
     * accepted.
     */
    public IdAllocatorConfig {
        requireName(name, "allocator");
        requireKeyPrefix(keyPrefix);
        String owner = "allocator '" + name + "'";
        if (minId < 0) {
            throw new InvalidArgumentException(
                    "minId",
                    minId,
                    "minId " + minId + " of " + owner + " is negative (ids start at 0)",
                    "use 0 or more");
        }
        if (maxId < minId) {
            throw new InvalidArgumentException(
                    "maxId",
                    maxId,
                    "maxId " + maxId + " of " + owner + " is below minId " + minId + ", so the range is empty",
                    "use " + minId + " or more, or lower minId");
        }
        if (maxId - minId + 1 > MAX_SIZE || maxId - minId + 1 <= 0) {
            throw new InvalidArgumentException(
                    "maxId",
                    maxId,
                    "range [" + minId + ", " + maxId + "] of " + owner + " holds more than " + MAX_SIZE
                            + " ids (the size of one Redis bitmap)",
                    "use a maxId of at most " + (minId + MAX_SIZE - 1)
                            + ", or split the range into several allocators");
        }
        requireTtl("defaultTtl", defaultTtl, name);
        requireNonNegative(
                "reuseDelay",
                reuseDelay,
                owner,
                "use a duration such as " + DEFAULT_REUSE_DELAY
                        + " (the default), or zero to hand ids out again at once");
        requirePositive("cleanupInterval", cleanupInterval, owner, DEFAULT_CLEANUP_INTERVAL);
        requirePositive("creatorTtl", creatorTtl, owner, DEFAULT_CREATOR_TTL);
        requirePositive("heartbeatInterval", heartbeatInterval, owner, DEFAULT_HEARTBEAT_INTERVAL);
        if (heartbeatInterval.compareTo(creatorTtl) >= 0) {
            throw new InvalidArgumentException(
                    "heartbeatInterval",
                    heartbeatInterval,
                    "heartbeatInterval " + heartbeatInterval + " of " + owner + " is not shorter than creatorTtl "
                            + creatorTtl + ", so the creator lease would lapse between two heartbeats",
                    "use at most a third of creatorTtl (" + Duration.ofMillis(creatorTtl.toMillis() / 3)
                            + "), or raise creatorTtl");
        }
        requireRecoveryPeriod(recoveryPeriod, owner);
        if (!recoveryPeriod.isZero()
                && (IdAllocator.NO_EXPIRY.equals(defaultTtl) || defaultTtl.compareTo(recoveryPeriod) > 0)) {
            throw new InvalidArgumentException(
                    "defaultTtl",
                    defaultTtl,
                    "defaultTtl " + defaultTtl + " of " + owner + " is longer than its recoveryPeriod " + recoveryPeriod
                            + ", so a holder could outlive the wait after Redis lost data",
                    "raise recoveryPeriod to at least the longest lease time, or set it to zero");
        }
        requireReplicaAcks(replicaAcks, replicaAckTimeout, owner);
    }

    /**
     * Checks the name of something whose Redis keys carry it between braces (the Redis Cluster hash tag): 1 to 100
     * letters, digits, '.', '_' or '-'. {@code kind} says what it names, for example {@code sequence}.
     *
     * @throws InvalidArgumentException for the setting {@code name}
     */
    public static void requireName(@Nullable String name, String kind) {
        requireMatch(
                "name",
                name,
                KeyNames.NAME,
                kind + " name '" + name + "' is invalid: the " + kind + " name must be "
                        + lengthAndCharacters(KeyNames.NAME)
                        + ", as it is part of its Redis keys, between braces (the Redis Cluster hash tag)",
                "use letters, digits, '.', '_' and '-' only");
    }

    /**
     * Checks the first part of Redis keys: 1 to 100 letters, digits, '.', '_', ':' or '-'.
     *
     * @throws InvalidArgumentException for the setting {@code keyPrefix}
     */
    public static void requireKeyPrefix(@Nullable String keyPrefix) {
        requireMatch(
                "keyPrefix",
                keyPrefix,
                KeyNames.PREFIX,
                "key prefix '" + keyPrefix + "' is invalid: it must be " + lengthAndCharacters(KeyNames.PREFIX)
                        + ", as braces, spaces and '|' would break the Redis key scheme",
                "use only the characters " + characters(KeyNames.PREFIX) + ", such as " + DEFAULT_KEY_PREFIX
                        + " (the default)");
    }

    /** Throws {@code InvalidArgumentException(setting, value, problem, fix)} unless {@code value} matches. */
    @Contract("_, null, _, _, _ -> fail")
    static void requireMatch(String setting, @Nullable String value, Pattern pattern, String problem, String fix) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidArgumentException(setting, value, problem, fix);
        }
    }

    /** "1 to 100 characters matching [A-Za-z0-9._-]{1,100}" for a pattern of that form. */
    static String lengthAndCharacters(Pattern pattern) {
        String p = pattern.pattern();
        return "1 to " + p.substring(p.lastIndexOf(',') + 1, p.length() - 1) + " characters matching " + p;
    }

    /** The character class of a pattern of the form {@code [...]{1,n}}. */
    static String characters(Pattern pattern) {
        String p = pattern.pattern();
        return p.substring(0, p.lastIndexOf('{'));
    }

    /**
     * Checks replica acknowledgement settings (shared by every primitive that confirms its writes with {@code WAIT}):
     * 0 to {@value #MAX_REPLICA_ACKS} replicas, a timeout of 1 ms to {@link #MAX_REPLICA_ACK_TIMEOUT}. {@code owner}
     * names what they configure, for example {@code sequence 'orders'}.
     *
     * @throws InvalidArgumentException for the setting {@code replicaAcks} or {@code replicaAckTimeout}
     */
    public static void requireReplicaAcks(int replicaAcks, @Nullable Duration replicaAckTimeout, String owner) {
        if (replicaAcks < 0 || replicaAcks > MAX_REPLICA_ACKS) {
            throw new InvalidArgumentException(
                    "replicaAcks",
                    replicaAcks,
                    "replicaAcks " + replicaAcks + " of " + owner + " is out of range",
                    "use 0 (no WAIT) to " + MAX_REPLICA_ACKS);
        }
        if (replicaAckTimeout == null
                || replicaAckTimeout.toMillis() < 1
                || replicaAckTimeout.compareTo(MAX_REPLICA_ACK_TIMEOUT) > 0) {
            throw new InvalidArgumentException(
                    "replicaAckTimeout",
                    replicaAckTimeout,
                    "replicaAckTimeout " + replicaAckTimeout + " of " + owner + " must be at least 1 ms and at most "
                            + MAX_REPLICA_ACK_TIMEOUT + " (callers block that long when a replica is down)",
                    "use a duration such as " + DEFAULT_REPLICA_ACK_TIMEOUT + " (the default)");
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

    /**
     * Checks a lease time: at least 1 ms and at most {@link #MAX_TTL}, or {@link IdAllocator#NO_EXPIRY}.
     *
     * @param what the setting or argument, such as {@code defaultTtl} or {@code ttl}
     * @param allocator the allocator's name
     */
    static Duration requireTtl(String what, @Nullable Duration ttl, String allocator) {
        String owner = "allocator '" + allocator + "'";
        requireSet(what, ttl, owner);
        if (IdAllocator.NO_EXPIRY.equals(ttl)) {
            return ttl;
        }
        if (ttl.toMillis() < 1 || ttl.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(
                    what,
                    ttl,
                    what + " " + ttl + " of " + owner + " must be at least 1 ms and at most 100 years",
                    "use a duration in that range, or IdAllocator.NO_EXPIRY for a lease that never expires");
        }
        return ttl;
    }

    private static void requireRecoveryPeriod(@Nullable Duration recoveryPeriod, String owner) {
        requireSet("recoveryPeriod", recoveryPeriod, owner);
        String fix = "use the longest lease time your instances ask for, or zero to hand ids out at once";
        if (recoveryPeriod.isNegative()) {
            throw new InvalidArgumentException(
                    "recoveryPeriod",
                    recoveryPeriod,
                    "recoveryPeriod " + recoveryPeriod + " of " + owner + " is negative",
                    fix);
        }
        if (recoveryPeriod.compareTo(MAX_RECOVERY_PERIOD) > 0) {
            throw new InvalidArgumentException(
                    "recoveryPeriod",
                    recoveryPeriod,
                    "recoveryPeriod " + recoveryPeriod + " of " + owner + " is longer than " + MAX_RECOVERY_PERIOD,
                    fix);
        }
    }

    @Contract("_, null, _ -> fail")
    private static void requireSet(String what, @Nullable Duration value, String owner) {
        if (value == null) {
            throw new InvalidArgumentException(what, null, what + " of " + owner + " is not set", "give a Duration");
        }
    }

    private static void requirePositive(String what, @Nullable Duration value, String owner, Duration example) {
        requireSet(what, value, owner);
        if (value.toMillis() < 1 || value.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(
                    what,
                    value,
                    what + " " + value + " of " + owner + " must be at least 1 ms and at most 100 years",
                    "use a duration such as " + example + " (the default)");
        }
    }

    private static void requireNonNegative(String what, @Nullable Duration value, String owner, String fix) {
        requireSet(what, value, owner);
        if (value.isNegative() || value.compareTo(MAX_TTL) > 0) {
            throw new InvalidArgumentException(
                    what,
                    value,
                    what + " " + value + " of " + owner + " must be zero or more and at most 100 years",
                    fix);
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
