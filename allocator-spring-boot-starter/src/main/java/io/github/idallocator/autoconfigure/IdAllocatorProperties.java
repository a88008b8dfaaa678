package io.github.idallocator.autoconfigure;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.redis.KeyNames;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
@ConfigurationProperties("idallocator")
public record IdAllocatorProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String instanceId,
        @DefaultValue("idalloc") String keyPrefix,
        @Nullable String primary,
        @DefaultValue Map<String, Allocator> allocators,
        @DefaultValue Health health) {

    /** The prefix of every property. */
    public static final String PREFIX = "idallocator";

    /** Checks every value; see the class description. */
    public IdAllocatorProperties {
        allocators = Collections.unmodifiableMap(new LinkedHashMap<>(allocators));
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
     */
    public record Allocator(
            @DefaultValue("0") long minId,
            @Nullable Long maxId,
            @DefaultValue("5m") Duration defaultTtl,
            @DefaultValue("1s") Duration reuseDelay,
            @DefaultValue("10s") Duration cleanupInterval,
            @DefaultValue("15s") Duration creatorTtl,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("false") boolean releaseOnShutdown) {

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
                throw new InvalidIdAllocatorPropertyException(
                        allocatorProperty(name, ""),
                        null,
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
}
