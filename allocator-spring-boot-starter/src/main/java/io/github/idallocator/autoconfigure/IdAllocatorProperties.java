package io.github.idallocator.autoconfigure;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration properties of idallocator, bound from {@code idallocator.*}. Every value is checked when it is bound, so
 * a wrong one fails start-up with a message that names the property, the value and the fix.
 *
 * @param enabled Whether to auto-configure idallocator.
 * @param instanceId Id of this instance, the owner of every lease it takes; unique among all instances that share the
 *     allocators. Generated when not set: host name, process id and a random suffix (host-pid-8 hex digits), stable for
 *     the life of the application context.
 * @param keyPrefix First part of every Redis key (prefix:{allocator}:part). Letters, digits, '.', '_', ':' and '-', 1
 *     to 100 characters.
 * @param primary Name of the allocator injected where an IdAllocator is asked for without a qualifier. Not needed with
 *     a single allocator, which is the primary one.
 * @param allocators Allocators by name. The name is part of every Redis key and is the bean name and qualifier of the
 *     allocator: letters, digits, '.', '_' and '-', 1 to 100 characters.
 * @param health Settings of the idallocator health indicator.
 * @param snowflake The Snowflake id generator: a SnowflakeIdGenerator bean supplied with a worker id leased from a
 *     range allocator. Off unless idallocator.snowflake.enabled is true.
 * @param primarySequence Name of the sequence injected where a SequenceAllocator is asked for without a qualifier. Not
 *     needed with a single sequence, which is the primary one.
 * @param sequences Monotonic segment sequences by name. The name is part of the sequence's Redis key and is its
 *     qualifier; the bean name is the name followed by "Sequence" (orders: ordersSequence), so a sequence and an
 *     allocator may share a name. Letters, digits, '.', '_' and '-', 1 to 100 characters.
 */
@ConfigurationProperties("idallocator")
public record IdAllocatorProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String instanceId,
        @DefaultValue("idalloc") String keyPrefix,
        @Nullable String primary,
        @DefaultValue Map<String, Allocator> allocators,
        @DefaultValue Health health,
        @DefaultValue Snowflake snowflake,
        @Nullable String primarySequence,
        @DefaultValue Map<String, Sequence> sequences) {

    /** The prefix of every property. */
    public static final String PREFIX = "idallocator";

    /** Checks every value; see the class description. */
    public IdAllocatorProperties {
        allocators = Collections.unmodifiableMap(new LinkedHashMap<>(allocators));
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
        requireMatch(PREFIX + ".key-prefix", keyPrefix, KeyNames.PREFIX, "idalloc");
        if (instanceId != null) {
            requireMatch(PREFIX + ".instance-id", instanceId, KeyNames.INSTANCE_ID, "orders-service-1");
        }
        allocators.forEach((name, allocator) -> allocator.validate(name, keyPrefix));
        if (primary != null && !allocators.containsKey(primary)) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".primary",
                    primary,
                    "it names no configured allocator (configured: " + allocators.keySet() + ")",
                    allocators.isEmpty()
                            ? "Configure the allocator under " + PREFIX + ".allocators." + primary + ".*, or remove "
                                    + PREFIX + ".primary."
                            : "Set " + PREFIX + ".primary to one of " + allocators.keySet() + ", or remove it.");
        }
        if (snowflake.enabled()) {
            snowflake.validate(allocators.keySet(), keyPrefix);
        }
        sequences.forEach((name, sequence) -> sequence.validate(name, keyPrefix));
        if (primarySequence != null && !sequences.containsKey(primarySequence)) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".primary-sequence",
                    primarySequence,
                    "it names no configured sequence (configured: " + sequences.keySet() + ")",
                    sequences.isEmpty()
                            ? "Configure the sequence under " + PREFIX + ".sequences." + primarySequence
                                    + ".*, or remove " + PREFIX + ".primary-sequence."
                            : "Set " + PREFIX + ".primary-sequence to one of " + sequences.keySet()
                                    + ", or remove it.");
        }
    }

    /**
     * The name of the sequence injected without qualifier: {@link #primarySequence()} when set, the only sequence when
     * there is exactly one, otherwise none.
     */
    public @Nullable String primarySequenceName() {
        if (primarySequence != null) {
            return primarySequence;
        }
        return sequences.size() == 1 ? sequences.keySet().iterator().next() : null;
    }

    /** The property name of one sequence setting, such as {@code idallocator.sequences.orders.step}. */
    public static String sequenceProperty(String name, String setting) {
        return PREFIX + ".sequences." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /** The property name of one Snowflake setting, such as {@code idallocator.snowflake.lease-ttl}. */
    public static String snowflakeProperty(String setting) {
        return PREFIX + ".snowflake" + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * The name of the allocator injected without qualifier: {@link #primary()} when set, the only allocator when there
     * is exactly one, otherwise none.
     */
    public @Nullable String primaryAllocator() {
        if (primary != null) {
            return primary;
        }
        return allocators.size() == 1 ? allocators.keySet().iterator().next() : null;
    }

    /** The property name of one allocator setting, such as {@code idallocator.allocators.orders.max-id}. */
    public static String allocatorProperty(String name, String setting) {
        return PREFIX + ".allocators." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * The property name (kebab-case) of the core setting a core validation message starts with, such as {@code
     * replica-acks} for "replicaAcks 17 of allocator ..."; empty when the message names no setting of its own.
     */
    static String coreSetting(InvalidArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Matcher setting = CORE_SETTING.matcher(message);
        if (!setting.lookingAt()) {
            return "";
        }
        return setting.group(1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private static final Pattern CORE_SETTING = Pattern.compile(
            "(defaultTtl|reuseDelay|cleanupInterval|creatorTtl|heartbeatInterval|recoveryPeriod|replicaAcks"
                    + "|replicaAckTimeout) ");

    private static void requireMatch(String property, String value, Pattern pattern, String example) {
        try {
            KeyNames.requireMatch(property, value, pattern);
        } catch (InvalidArgumentException e) {
            throw new InvalidIdAllocatorPropertyException(
                    property,
                    value,
                    "it must be 1 to " + maxLength(pattern) + " characters matching " + pattern.pattern()
                            + " (braces, spaces and '|' would break the Redis key scheme or the lease encoding)",
                    "Use only the characters " + pattern.pattern() + ", for example " + property + "=" + example + ".");
        }
    }

    private static String maxLength(Pattern pattern) {
        String p = pattern.pattern();
        return p.substring(p.lastIndexOf(',') + 1, p.length() - 1);
    }

    /**
     * One allocator: the range of ids it hands out and its timings. Defaults are those of {@link IdAllocatorConfig}.
     *
     * @param minId First id handed out, 0 or more.
     * @param maxId Last id handed out, inclusive. Required; the range holds at most 2^32 ids.
     * @param defaultTtl Lease time of allocations that name none.
     * @param reuseDelay How long a freed or expired id rests before it is handed out again; 0 hands it out at once.
     * @param cleanupInterval How often the creator instance reclaims expired leases.
     * @param creatorTtl How long the creator lease lasts without renewal: another instance takes the creator role
     *     within this time after the creator dies. Use the same value on every instance.
     * @param heartbeatInterval How often each instance renews, or tries to take, the creator lease. Shorter than
     *     creator-ttl; at most a third of it is advised.
     * @param releaseOnShutdown Whether to free every lease this instance holds when the application shuts down. When
     *     false, the leases stay until they expire.
     * @param replicaAcks How many replicas must confirm each allocation, reservation or renewal (Redis WAIT) before
     *     the caller gets it; too few within replica-ack-timeout and the call throws ReplicaAckException and the grant
     *     is released. A confirmed grant survives a failover to a replica that confirmed it. 0 (the default) sends no
     *     WAIT. At most 16.
     * @param replicaAckTimeout How long a call waits for the replicas' confirmations when replica-acks is above 0. Keep
     *     it below the Redis command timeout (spring.data.redis.timeout). At most 1 minute.
     * @param recoveryPeriod After Redis lost the allocator's state (a restart without persistence, FLUSHALL, a failover
     *     to a replica that missed writes) or when it is new, how long new grants are refused so that holders still
     *     alive can re-register their leases. 0 (the default) hands ids out at once. When set, default-ttl must not be
     *     longer. At most 1 hour.
     */
    public record Allocator(
            @DefaultValue("0") long minId,
            @Nullable Long maxId,
            @DefaultValue("5m") Duration defaultTtl,
            @DefaultValue("1s") Duration reuseDelay,
            @DefaultValue("10s") Duration cleanupInterval,
            @DefaultValue("15s") Duration creatorTtl,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("false") boolean releaseOnShutdown,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout,
            @DefaultValue("0") Duration recoveryPeriod) {

        private static final long MAX_MILLIS = IdAllocatorConfig.MAX_TTL.toMillis();

        /** The core configuration of the allocator {@code name}; call after the properties were validated. */
        public IdAllocatorConfig toConfig(String name, String keyPrefix) {
            if (maxId == null) {
                throw new IllegalStateException("max-id of allocator '" + name + "' is not set");
            }
            return IdAllocatorConfig.builder(name, minId, maxId)
                    .defaultTtl(defaultTtl)
                    .reuseDelay(reuseDelay)
                    .cleanupInterval(cleanupInterval)
                    .keyPrefix(keyPrefix)
                    .creatorTtl(creatorTtl)
                    .heartbeatInterval(heartbeatInterval)
                    .replicaAcks(replicaAcks)
                    .replicaAckTimeout(replicaAckTimeout)
                    .recoveryPeriod(recoveryPeriod)
                    .build();
        }

        void validate(String name, String keyPrefix) {
            try {
                KeyNames.requireMatch("allocator name", name, KeyNames.NAME);
            } catch (InvalidArgumentException e) {
                throw new InvalidIdAllocatorPropertyException(
                        allocatorProperty(name, ""),
                        name,
                        "the allocator name must be 1 to 100 characters matching " + KeyNames.NAME.pattern()
                                + ": it is part of every Redis key, between braces (the Redis Cluster hash tag)",
                        "Rename the allocator using letters, digits, '.', '_' and '-' only, for example "
                                + allocatorProperty("orders", "max-id") + "=1000000.");
            }
            if (minId < 0) {
                throw invalid(name, "min-id", minId, "ids start at 0 or above", "Set it to 0 or more.");
            }
            if (maxId == null) {
                throw new InvalidIdAllocatorPropertyException(
                        allocatorProperty(name, "max-id"),
                        null,
                        "it is not set: every allocator needs the last id of its range",
                        "Set " + allocatorProperty(name, "max-id") + " to the last id the allocator may hand out, "
                                + "for example " + (minId + 999_999) + ".");
            }
            if (maxId < minId) {
                throw invalid(
                        name,
                        "max-id",
                        maxId,
                        "it is below min-id " + minId + ", so the range is empty",
                        "Set it to " + minId + " or more, or lower " + allocatorProperty(name, "min-id") + ".");
            }
            if (maxId - minId + 1 > IdAllocatorConfig.MAX_SIZE || maxId - minId + 1 <= 0) {
                throw invalid(
                        name,
                        "max-id",
                        maxId,
                        "the range [" + minId + ", " + maxId + "] holds more than " + IdAllocatorConfig.MAX_SIZE
                                + " ids, the size of one Redis bitmap",
                        "Set it to at most " + (minId + IdAllocatorConfig.MAX_SIZE - 1)
                                + ", or split the range into several allocators.");
            }
            requireBetween(name, "default-ttl", defaultTtl, 1, "5m (the default)");
            requireBetween(name, "reuse-delay", reuseDelay, 0, "1s (the default), or 0 to hand ids out again at once");
            requireBetween(name, "cleanup-interval", cleanupInterval, 1, "10s (the default)");
            requireBetween(name, "creator-ttl", creatorTtl, 1, "15s (the default)");
            requireBetween(name, "heartbeat-interval", heartbeatInterval, 1, "5s (the default)");
            if (heartbeatInterval.compareTo(creatorTtl) >= 0) {
                throw invalid(
                        name,
                        "heartbeat-interval",
                        Durations.format(heartbeatInterval),
                        "it is not shorter than creator-ttl " + Durations.format(creatorTtl)
                                + ", so the creator lease would lapse between two heartbeats",
                        "Set it to at most a third of creator-ttl (for example "
                                + Durations.format(creatorTtl.dividedBy(3)) + "), or raise "
                                + allocatorProperty(name, "creator-ttl") + ".");
            }
            try {
                toConfig(name, keyPrefix);
            } catch (InvalidArgumentException e) {
                String setting = coreSetting(e);
                throw new InvalidIdAllocatorPropertyException(
                        allocatorProperty(name, setting),
                        switch (setting) {
                            case "default-ttl" -> Durations.format(defaultTtl);
                            case "replica-acks" -> replicaAcks;
                            case "replica-ack-timeout" -> Durations.format(replicaAckTimeout);
                            case "recovery-period" -> Durations.format(recoveryPeriod);
                            default -> null;
                        },
                        e.getMessage(),
                        "Correct the settings under " + allocatorProperty(name, "") + ".");
            }
        }

        private static void requireBetween(String name, String setting, Duration value, long minMillis, String fix) {
            if (value.isNegative() || value.toMillis() < minMillis || value.toMillis() > MAX_MILLIS) {
                String range = minMillis == 0 ? "zero or more" : "at least 1ms";
                throw invalid(
                        name,
                        setting,
                        Durations.format(value),
                        "it must be " + range + " and at most 100 years",
                        "Set it to a duration such as " + fix + ".");
            }
        }

        private static InvalidIdAllocatorPropertyException invalid(
                String name, String setting, Object value, String reason, String action) {
            String property = allocatorProperty(name, setting);
            return new InvalidIdAllocatorPropertyException(
                    property, value, reason, action.replaceFirst("^Set it ", "Set " + property + " "));
        }
    }

    /**
     * Settings of the {@code idallocator} health indicator.
     *
     * @param utilisationThreshold Share of allocated ids, from 0 to 1, from which an allocator counts as highly
     *     utilised: flagged in the health details and reported with the high-utilisation status.
     * @param highUtilisationStatus Health status reported while an allocator is at or above the utilisation threshold,
     *     for example OUT_OF_SERVICE or a custom status. UP only flags it in the details.
     */
    public record Health(
            @DefaultValue("0.9") double utilisationThreshold, @DefaultValue("UP") String highUtilisationStatus) {

        /** Checks the threshold and the status. */
        public Health {
            if (!(utilisationThreshold > 0 && utilisationThreshold <= 1)) {
                throw new InvalidIdAllocatorPropertyException(
                        PREFIX + ".health.utilisation-threshold",
                        utilisationThreshold,
                        "it must be above 0 and at most 1 (a share of the range)",
                        "Set " + PREFIX + ".health.utilisation-threshold to a value such as 0.9 (the default).");
            }
            if (highUtilisationStatus.isBlank()) {
                throw new InvalidIdAllocatorPropertyException(
                        PREFIX + ".health.high-utilisation-status",
                        highUtilisationStatus,
                        "it is blank",
                        "Set it to a health status code such as UP (the default) or OUT_OF_SERVICE.");
            }
        }
    }

    /**
     * The Snowflake id generator and the lease of its worker id. Defaults are those of the core library: the classic
     * 41/10/12 layout in milliseconds since 2024-01-01, worker ids 0 to 1023 leased for 30 s and renewed every 10 s.
     *
     * @param enabled Whether to create a SnowflakeIdGenerator bean and lease it a worker id at start-up.
     * @param epoch Instant of timestamp 0 (ISO-8601, for example 2024-01-01T00:00:00Z). Not in the future. Never change
     *     it once ids are in use: ids of a later epoch can repeat earlier ones.
     * @param timeBits Bits of the timestamp. time-bits + worker-bits + sequence-bits must be 63 (the sign bit stays 0).
     * @param workerBits Bits of the worker id, 1 to 20: at most 2^worker-bits instances issue ids at the same time.
     * @param sequenceBits Bits of the sequence within one tick: 2^sequence-bits ids per tick and worker.
     * @param tick Time unit of the timestamp: a whole number of milliseconds.
     * @param workerIdMin First worker id this application may lease.
     * @param workerIdMax Last worker id this application may lease, inclusive. Defaults to 2^worker-bits - 1, the
     *     largest the layout holds. Give environments that share one Redis and one allocator name disjoint ranges.
     * @param allocatorName Name of the range allocator the worker ids are leased from (part of its Redis keys; it is
     *     listed with the other allocators). Instances that use the same name and key prefix never share a worker id.
     * @param leaseTtl How long a worker-id lease lasts without renewal. An instance that dies frees its worker id for
     *     others after this time.
     * @param heartbeatInterval How often the worker-id lease is renewed: at most a third of lease-ttl.
     * @param safetyMargin How long before the lease ends (by the local clock) the generator already stops issuing ids
     *     when it could not renew.
     * @param maxHandoverWait How long taking a worker id may wait for this clock to pass the last timestamp its previous
     *     holder could have used; when that lies further ahead, another worker id is taken. 0 to 1 minute.
     * @param clockBackwardsTolerance How far the wall clock may step back before nextId() throws
     *     ClockMovedBackwardsException; smaller steps are waited out. 0 to 10 s.
     * @param replicaAcks How many replicas must confirm each worker-id lease and each renewal (Redis WAIT) before it
     *     counts; too few within replica-ack-timeout and the lease or renewal fails (ReplicaAckException), a new lease
     *     being released. A confirmed lease survives a failover to a replica that confirmed it. 0 (the default) sends
     *     no WAIT. At most 16.
     * @param replicaAckTimeout How long to wait for the replicas' confirmations when replica-acks is above 0. Keep it
     *     below the Redis command timeout (spring.data.redis.timeout). At most 1 minute.
     * @param recoveryPeriod After Redis lost the worker-id allocator's state, how long no worker id is granted so that
     *     holders still alive can re-register theirs. Defaults to lease-ttl (every holder still alive renews within
     *     it); 0 grants worker ids at once. Not shorter than lease-ttl unless 0; at most 1 hour.
     */
    public record Snowflake(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("2024-01-01T00:00:00Z") Instant epoch,
            @DefaultValue("41") int timeBits,
            @DefaultValue("10") int workerBits,
            @DefaultValue("12") int sequenceBits,
            @DefaultValue("1ms") Duration tick,
            @DefaultValue("0") long workerIdMin,
            @Nullable Long workerIdMax,
            @DefaultValue("snowflake-workers") String allocatorName,
            @DefaultValue("30s") Duration leaseTtl,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("1s") Duration safetyMargin,
            @DefaultValue("2s") Duration maxHandoverWait,
            @DefaultValue("5ms") Duration clockBackwardsTolerance,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout,
            @Nullable Duration recoveryPeriod) {

        /** The largest clock-backwards tolerance: callers block for up to this long. */
        static final Duration MAX_CLOCK_BACKWARDS_TOLERANCE = Duration.ofSeconds(10);

        /** The largest handover wait. */
        static final Duration MAX_HANDOVER_WAIT = Duration.ofMinutes(1);

        /** The shortest lease time the core accepts. */
        static final Duration MIN_LEASE_TTL = Duration.ofMillis(30);

        /** The layout of the ids; call after the properties were validated. */
        public SnowflakeLayout layout() {
            return new SnowflakeLayout(timeBits, workerBits, sequenceBits, epoch, tick);
        }

        /** The last worker id this application may lease: {@link #workerIdMax()}, else the largest of the layout. */
        public long effectiveWorkerIdMax() {
            if (workerIdMax != null) {
                return workerIdMax;
            }
            return workerBits >= 1 && workerBits <= 62 ? (1L << workerBits) - 1 : 0;
        }

        /** The timing of the worker-id lease; call after the properties were validated. */
        public WorkerLeaseSettings leaseSettings() {
            return new WorkerLeaseSettings(leaseTtl, heartbeatInterval, safetyMargin, maxHandoverWait);
        }

        /**
         * The range allocator of worker ids: {@code [worker-id-min, worker-id-max]} under the given key prefix, with
         * no reuse delay (a freed worker id carries its last timestamp, which the next holder waits out instead).
         */
        public IdAllocatorConfig workerAllocatorConfig(String keyPrefix) {
            return IdAllocatorConfig.builder(allocatorName, workerIdMin, effectiveWorkerIdMax())
                    .keyPrefix(keyPrefix)
                    .defaultTtl(leaseTtl)
                    .reuseDelay(Duration.ZERO)
                    .replicaAcks(replicaAcks)
                    .replicaAckTimeout(replicaAckTimeout)
                    .recoveryPeriod(effectiveRecoveryPeriod())
                    .build();
        }

        /** The recovery period of the worker-id allocator: {@link #recoveryPeriod()}, else {@link #leaseTtl()}. */
        public Duration effectiveRecoveryPeriod() {
            return recoveryPeriod != null ? recoveryPeriod : leaseTtl;
        }

        /** A generator with this layout and tolerance, on the system clocks. */
        public SnowflakeIdGenerator newGenerator() {
            return SnowflakeIdGenerator.builder(layout())
                    .clockBackwardsTolerance(clockBackwardsTolerance)
                    .build();
        }

        void validate(Set<String> allocatorNames, String keyPrefix) {
            requireBits("time-bits", timeBits, 41);
            requireBits("worker-bits", workerBits, 10);
            requireBits("sequence-bits", sequenceBits, 12);
            if (workerBits > 20) {
                throw invalid(
                        "worker-bits",
                        workerBits,
                        "at most 20 worker bits (2^20 worker ids) are supported",
                        "Set it to 20 or fewer and give the bits to time-bits or sequence-bits.");
            }
            if (timeBits + workerBits + sequenceBits != 63) {
                throw invalid(
                        "time-bits",
                        timeBits,
                        "time-bits + worker-bits + sequence-bits is " + (timeBits + workerBits + sequenceBits)
                                + ", but the three parts must fill the 63 bits below the sign bit",
                        "Set it to " + Math.max(1, 63 - workerBits - sequenceBits) + " (63 - worker-bits " + workerBits
                                + " - sequence-bits " + sequenceBits + "), or change the other two.");
            }
            if (tick.toMillis() < 1 || !tick.equals(Duration.ofMillis(tick.toMillis()))) {
                throw invalid(
                        "tick",
                        Durations.format(tick),
                        "the tick must be a whole number of milliseconds, at least 1ms",
                        "Set it to a duration such as 1ms (the default) or 10ms.");
            }
            if (epoch.toEpochMilli() < 0) {
                throw invalid(
                        "epoch",
                        epoch,
                        "it is before 1970-01-01",
                        "Set it to a recent instant, such as 2024-01-01T00:00:00Z (the default).");
            }
            Instant now = Instant.now();
            if (epoch.isAfter(now)) {
                throw invalid(
                        "epoch",
                        epoch,
                        "it lies in the future: the clock would be before timestamp 0",
                        "Set it to an instant in the past, such as 2024-01-01T00:00:00Z (the default).");
            }
            Instant exhausted = exhaustedAt();
            if (exhausted != null && !exhausted.isAfter(now)) {
                throw invalid(
                        "time-bits",
                        timeBits,
                        "with tick " + Durations.format(tick) + " and epoch " + epoch + " the timestamps ran out on "
                                + exhausted,
                        "Set it higher (taking bits from worker-bits or sequence-bits), or move the epoch later.");
            }
            long largestWorker = (1L << workerBits) - 1;
            if (workerIdMin < 0 || workerIdMin > largestWorker) {
                throw invalid(
                        "worker-id-min",
                        workerIdMin,
                        "worker ids of " + workerBits + " worker bits run from 0 to " + largestWorker,
                        "Set it to a value from 0 to " + largestWorker + ".");
            }
            long max = effectiveWorkerIdMax();
            if (max > largestWorker) {
                throw invalid(
                        "worker-id-max",
                        max,
                        "it does not fit the " + workerBits + " worker bits: the largest worker id is " + largestWorker,
                        "Set it to at most " + largestWorker + ", or raise " + snowflakeProperty("worker-bits") + ".");
            }
            if (max < workerIdMin) {
                throw invalid(
                        "worker-id-max",
                        max,
                        "it is below worker-id-min " + workerIdMin + ", so no worker id can be leased",
                        "Set it to " + workerIdMin + " or more, or lower " + snowflakeProperty("worker-id-min") + ".");
            }
            try {
                KeyNames.requireMatch("allocator name", allocatorName, KeyNames.NAME);
            } catch (InvalidArgumentException e) {
                throw invalid(
                        "allocator-name",
                        allocatorName,
                        "the allocator name must be 1 to 100 characters matching " + KeyNames.NAME.pattern()
                                + ": it is part of every Redis key, between braces (the Redis Cluster hash tag)",
                        "Set it to a name of letters, digits, '.', '_' and '-', such as snowflake-workers.");
            }
            if (allocatorNames.contains(allocatorName)) {
                throw invalid(
                        "allocator-name",
                        allocatorName,
                        "an allocator of that name is configured under " + allocatorProperty(allocatorName, "")
                                + ": the worker ids need an allocator of their own",
                        "Set it to a name no allocator uses, such as snowflake-workers (the default).");
            }
            if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0 || leaseTtl.compareTo(IdAllocatorConfig.MAX_TTL) > 0) {
                throw invalid(
                        "lease-ttl",
                        Durations.format(leaseTtl),
                        "it must be at least 30ms and at most 100 years",
                        "Set it to a duration such as 30s (the default).");
            }
            if (heartbeatInterval.toMillis() < 1
                    || heartbeatInterval.multipliedBy(3).compareTo(leaseTtl) > 0) {
                throw invalid(
                        "heartbeat-interval",
                        Durations.format(heartbeatInterval),
                        "it must be positive and at most a third of lease-ttl " + Durations.format(leaseTtl)
                                + ", so that a lease survives two missed renewals",
                        "Set it to at most " + Durations.format(leaseTtl.dividedBy(3)) + ", or raise "
                                + snowflakeProperty("lease-ttl") + ".");
            }
            if (safetyMargin.isNegative()
                    || safetyMargin.plus(heartbeatInterval).compareTo(leaseTtl) >= 0) {
                throw invalid(
                        "safety-margin",
                        Durations.format(safetyMargin),
                        "it must be zero or more and safety-margin + heartbeat-interval must stay below lease-ttl "
                                + Durations.format(leaseTtl) + ", so that a renewal can land before ids stop",
                        "Set it to less than " + Durations.format(leaseTtl.minus(heartbeatInterval))
                                + ", such as 1s (the default).");
            }
            if (maxHandoverWait.isNegative() || maxHandoverWait.compareTo(MAX_HANDOVER_WAIT) > 0) {
                throw invalid(
                        "max-handover-wait",
                        Durations.format(maxHandoverWait),
                        "it must be between 0 and 1 minute (start-up blocks for up to this long)",
                        "Set it to a duration such as 2s (the default).");
            }
            if (clockBackwardsTolerance.isNegative()
                    || clockBackwardsTolerance.compareTo(MAX_CLOCK_BACKWARDS_TOLERANCE) > 0) {
                throw invalid(
                        "clock-backwards-tolerance",
                        Durations.format(clockBackwardsTolerance),
                        "it must be between 0 and 10s (callers of nextId() block for up to this long)",
                        "Set it to a duration such as 5ms (the default).");
            }
            try {
                layout();
                leaseSettings();
                workerAllocatorConfig(keyPrefix);
            } catch (InvalidArgumentException e) {
                String setting = coreSetting(e).replace("default-ttl", "lease-ttl");
                throw new InvalidIdAllocatorPropertyException(
                        snowflakeProperty(setting),
                        switch (setting) {
                            case "lease-ttl" -> Durations.format(leaseTtl);
                            case "replica-acks" -> replicaAcks;
                            case "replica-ack-timeout" -> Durations.format(replicaAckTimeout);
                            case "recovery-period" -> Durations.format(effectiveRecoveryPeriod());
                            default -> null;
                        },
                        e.getMessage(),
                        "Correct the settings under " + snowflakeProperty("")
                                + " (the worker-id allocator's defaultTtl is lease-ttl).");
            }
        }

        /** When the timestamps run out of time bits; {@code null} when that lies beyond what {@link Instant} holds. */
        private @Nullable Instant exhaustedAt() {
            try {
                return epoch.plus(tick.multipliedBy(1L << timeBits));
            } catch (ArithmeticException | DateTimeException e) {
                return null;
            }
        }

        private static void requireBits(String setting, int bits, int example) {
            if (bits < 1 || bits > 61) {
                throw invalid(
                        setting,
                        bits,
                        "each part of the id needs at least 1 bit, and the three parts fill 63 bits",
                        "Set it to a value such as " + example + " (the default).");
            }
        }

        private static InvalidIdAllocatorPropertyException invalid(
                String setting, Object value, String reason, String action) {
            String property = snowflakeProperty(setting);
            return new InvalidIdAllocatorPropertyException(
                    property, value, reason, action.replaceFirst("^Set it ", "Set " + property + " "));
        }
    }

    /**
     * One monotonic segment sequence. Defaults are those of {@link SequenceConfig}.
     *
     * @param step Ids per segment taken from Redis at a time, and the smallest step when it adapts to load. 1 to
     *     10,000,000.
     * @param maxStep Largest segment the step may grow to under load (it doubles while segments last less than 1 s).
     *     Defaults to the larger of step and 1,000,000; equal to step turns adaptation off.
     * @param prefetchThreshold Share of a segment left (above 0, below 1) when the next segment is fetched in the
     *     background.
     * @param initialValue First id of a sequence not yet stored in Redis. 0 or more.
     * @param floor Lowest id ever handed out, also by new instances after Redis lost data (0: none). Set it above the
     *     highest id already in your data.
     * @param strict Whether every id comes from Redis (one round trip per call): ids then increase across all instances,
     *     not only within one.
     * @param repairGap Added to this instance's highest id when Redis is found to have lost the counter, to stay clear of
     *     ids other instances were granted meanwhile. 0 to 2^40.
     * @param recoveryPeriod After Redis lost the sequence (or when it is new), how long new instances are refused so
     *     that running ones re-register the ids they hold first; also the lease of a running instance's segments. 0
     *     turns it off; otherwise 100 ms to 1 hour.
     * @param replicaAcks How many replicas must confirm each segment granted (and each repair of the counter) with
     *     Redis {@code WAIT} before this instance uses it; 0 (the default) does not wait. 0 to 16.
     * @param replicaAckTimeout How long to wait for those confirmations before the fetch fails with a retryable
     *     ReplicaAckException (the segment is then never used). 1 ms to 1 minute.
     */
    public record Sequence(
            @DefaultValue("1000") int step,
            @Nullable Integer maxStep,
            @DefaultValue("0.2") double prefetchThreshold,
            @DefaultValue("1") long initialValue,
            @DefaultValue("0") long floor,
            @DefaultValue("false") boolean strict,
            @DefaultValue("4294967296") long repairGap,
            @DefaultValue("10s") Duration recoveryPeriod,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout) {

        /** The core configuration of the sequence {@code name}; call after the properties were validated. */
        public SequenceConfig toConfig(String name, String keyPrefix) {
            SequenceConfig.Builder builder = SequenceConfig.builder(name)
                    .keyPrefix(keyPrefix)
                    .step(step)
                    .prefetchThreshold(prefetchThreshold)
                    .initialValue(initialValue)
                    .floor(floor)
                    .strict(strict)
                    .repairGap(repairGap)
                    .recoveryPeriod(recoveryPeriod)
                    .replicaAcks(replicaAcks)
                    .replicaAckTimeout(replicaAckTimeout);
            if (maxStep != null) {
                builder.maxStep(maxStep);
            }
            return builder.build();
        }

        void validate(String name, String keyPrefix) {
            try {
                KeyNames.requireMatch("sequence name", name, KeyNames.NAME);
            } catch (InvalidArgumentException e) {
                throw new InvalidIdAllocatorPropertyException(
                        sequenceProperty(name, ""),
                        name,
                        "the sequence name must be 1 to 100 characters matching " + KeyNames.NAME.pattern()
                                + ": it is part of the sequence's Redis key, between braces (the Redis Cluster hash "
                                + "tag)",
                        "Rename the sequence using letters, digits, '.', '_' and '-' only, for example "
                                + sequenceProperty("orders", "step") + "=1000.");
            }
            int most = RedisSequenceAllocator.MAX_STEP;
            if (step < 1 || step > most) {
                throw invalid(name, "step", step, "it must be 1 to " + most, "Set it to a value such as 1000.");
            }
            if (maxStep != null && (maxStep < step || maxStep > most)) {
                throw invalid(
                        name,
                        "max-step",
                        maxStep,
                        "it must be between step " + step + " and " + most,
                        "Set it to " + step + " or more (equal to step turns adaptation off), or remove it.");
            }
            if (!(prefetchThreshold > 0 && prefetchThreshold < 1)) {
                throw invalid(
                        name,
                        "prefetch-threshold",
                        prefetchThreshold,
                        "it is the share of a segment left when the next one is fetched: above 0 and below 1",
                        "Set it to a value such as 0.2 (the default).");
            }
            if (initialValue < 0) {
                throw invalid(name, "initial-value", initialValue, "ids are 0 or more", "Set it to 0 or more.");
            }
            if (floor < 0) {
                throw invalid(name, "floor", floor, "ids are 0 or more", "Set it to 0 or more.");
            }
            if (repairGap < 0 || repairGap > 1L << 40) {
                throw invalid(
                        name,
                        "repair-gap",
                        repairGap,
                        "it must be 0 to 2^40",
                        "Set it to a value such as 4294967296 (2^32, the default).");
            }
            if (!recoveryPeriod.isZero()
                    && (recoveryPeriod.compareTo(SequenceConfig.MIN_RECOVERY_PERIOD) < 0
                            || recoveryPeriod.compareTo(SequenceConfig.MAX_RECOVERY_PERIOD) > 0)) {
                throw invalid(
                        name,
                        "recovery-period",
                        Durations.format(recoveryPeriod),
                        "it must be 0 (off) or 100ms to 1h: new instances wait that long after Redis lost the "
                                + "sequence, and segments are leased for two thirds of it",
                        "Set it to a value such as 10s (the default), or 0 where only this process uses Redis.");
            }
            try {
                toConfig(name, keyPrefix);
            } catch (InvalidArgumentException e) {
                throw new InvalidIdAllocatorPropertyException(
                        sequenceProperty(name, ""),
                        null,
                        e.getMessage(),
                        "Correct the settings under " + sequenceProperty(name, "") + ".");
            }
        }

        private static InvalidIdAllocatorPropertyException invalid(
                String name, String setting, Object value, String reason, String action) {
            String property = sequenceProperty(name, setting);
            return new InvalidIdAllocatorPropertyException(
                    property, value, reason, action.replaceFirst("^Set it ", "Set " + property + " "));
        }
    }
}
