package io.github.idallocator.autoconfigure;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.spring.ResourcePoolFactory.ConfiguredPool;
import io.github.idallocator.spring.ResourcePoolFactory.Seed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns the bound {@code idallocator.*} properties into the core configurations, and a value core rejects (an {@link
 * InvalidArgumentException}) into an {@link InvalidIdAllocatorPropertyException} naming the property the core setting
 * came from, the value and core's fix. Every rule about a value lives in core; this class only knows which property
 * each core setting is bound from: the setting in kebab-case under its prefix ({@code heartbeatInterval} of allocator
 * {@code orders} is {@code idallocator.allocators.orders.heartbeat-interval}), except where the names differ.
 *
 * <p>The auto-configurations build the runtime types of {@code io.github.idallocator.spring} from what it returns;
 * applications have no need for it.
 */
public final class CoreConfigMapping {

    private static final String PREFIX = IdAllocatorProperties.PREFIX;

    private CoreConfigMapping() {}

    /**
     * The configured instance id, checked; {@code null} when none is configured.
     *
     * @throws InvalidIdAllocatorPropertyException when core rejects it
     */
    public static @Nullable String instanceId(IdAllocatorProperties properties) {
        String instanceId = properties.instanceId();
        if (instanceId == null) {
            return null;
        }
        return map(() -> InstanceIds.require(instanceId), e -> report(e, PREFIX + ".instance-id"));
    }

    /** The configured key prefix, checked. */
    static String keyPrefix(IdAllocatorProperties properties) {
        String keyPrefix = properties.keyPrefix();
        return map(
                () -> {
                    IdAllocatorConfig.requireKeyPrefix(keyPrefix);
                    return keyPrefix;
                },
                e -> report(e, PREFIX + ".key-prefix"));
    }

    /** The core configuration of the allocator {@code idallocator.allocators.<name>}, which must be configured. */
    static IdAllocatorConfig allocator(IdAllocatorProperties properties, String name) {
        IdAllocatorProperties.Allocator allocator = Objects.requireNonNull(
                properties.allocators().get(name), () -> "idallocator.allocators." + name + " is not configured");
        Long maxId = allocator.maxId();
        if (maxId == null) {
            String property = IdAllocatorProperties.allocatorProperty(name, "max-id");
            throw new InvalidIdAllocatorPropertyException(
                    property,
                    null,
                    "it is not set: every allocator needs the last id of its range",
                    "Set " + property + " to the last id the allocator may hand out, for example "
                            + (allocator.minId() + 999_999) + ".");
        }
        return map(
                () -> IdAllocatorConfig.builder(name, allocator.minId(), maxId)
                        .keyPrefix(properties.keyPrefix())
                        .defaultTtl(allocator.defaultTtl())
                        .reuseDelay(allocator.reuseDelay())
                        .cleanupInterval(allocator.cleanupInterval())
                        .creatorTtl(allocator.creatorTtl())
                        .heartbeatInterval(allocator.heartbeatInterval())
                        .replicaAcks(allocator.replicaAcks())
                        .replicaAckTimeout(allocator.replicaAckTimeout())
                        .recoveryPeriod(allocator.recoveryPeriod())
                        .build(),
                e -> switch (String.valueOf(e.setting())) {
                    case "name" -> report(
                            e, IdAllocatorProperties.allocatorProperty(name, ""), "Rename the allocator: " + fix(e));
                    case "keyPrefix" -> report(e, PREFIX + ".key-prefix");
                    default -> report(e, IdAllocatorProperties.allocatorProperty(name, kebab(e)));
                });
    }

    /**
     * The core configuration of every allocator of {@code idallocator.allocators}, by name, in their order.
     *
     * @throws InvalidIdAllocatorPropertyException naming the first property core rejects
     */
    public static Map<String, IdAllocatorConfig> allocators(IdAllocatorProperties properties) {
        Map<String, IdAllocatorConfig> configs = new LinkedHashMap<>();
        properties.allocators().keySet().forEach(name -> configs.put(name, allocator(properties, name)));
        return configs;
    }

    /**
     * The core configuration of every sequence of {@code idallocator.sequences}, by name, in their order.
     *
     * @throws InvalidIdAllocatorPropertyException naming the first property core rejects
     */
    public static Map<String, SequenceConfig> sequences(IdAllocatorProperties properties) {
        Map<String, SequenceConfig> configs = new LinkedHashMap<>();
        properties.sequences().keySet().forEach(name -> configs.put(name, sequence(properties, name)));
        return configs;
    }

    /** The core configuration of the sequence {@code idallocator.sequences.<name>}, which must be configured. */
    static SequenceConfig sequence(IdAllocatorProperties properties, String name) {
        IdAllocatorProperties.Sequence sequence = Objects.requireNonNull(
                properties.sequences().get(name), () -> "idallocator.sequences." + name + " is not configured");
        return map(
                () -> {
                    SequenceConfig.Builder builder = SequenceConfig.builder(name)
                            .keyPrefix(properties.keyPrefix())
                            .step(sequence.step())
                            .prefetchThreshold(sequence.prefetchThreshold())
                            .initialValue(sequence.initialValue())
                            .floor(sequence.floor())
                            .strict(sequence.strict())
                            .repairGap(sequence.repairGap())
                            .recoveryPeriod(sequence.recoveryPeriod())
                            .replicaAcks(sequence.replicaAcks())
                            .replicaAckTimeout(sequence.replicaAckTimeout());
                    Integer maxStep = sequence.maxStep();
                    if (maxStep != null) {
                        builder.maxStep(maxStep);
                    }
                    return builder.build();
                },
                e -> switch (String.valueOf(e.setting())) {
                    case "name" -> report(
                            e, IdAllocatorProperties.sequenceProperty(name, ""), "Rename the sequence: " + fix(e));
                    case "keyPrefix" -> report(e, PREFIX + ".key-prefix");
                    default -> report(e, IdAllocatorProperties.sequenceProperty(name, kebab(e)));
                });
    }

    /**
     * The core configuration of the lock service of {@code idallocator.locks}.
     *
     * @throws InvalidIdAllocatorPropertyException naming the first property core rejects
     */
    public static LockConfig locks(IdAllocatorProperties properties) {
        IdAllocatorProperties.Locks locks = properties.locks();
        return map(
                () -> LockConfig.builder(locks.namespace())
                        .keyPrefix(properties.keyPrefix())
                        .leaseTime(locks.leaseTime())
                        .waitPollBound(locks.waitPollBound())
                        .tokenRetention(locks.tokenRetention())
                        .maxHoldTime(locks.maxHoldTime())
                        .replicaAcks(locks.replicaAcks(), locks.replicaAckTimeout())
                        .build(),
                e -> switch (String.valueOf(e.setting())) {
                    case "name" -> report(e, IdAllocatorProperties.locksProperty("namespace"));
                    case "keyPrefix" -> report(e, PREFIX + ".key-prefix");
                    default -> report(e, IdAllocatorProperties.locksProperty(kebab(e)));
                });
    }

    /**
     * Every enabled pool of {@code idallocator.pools} with the resources it is seeded with, by name, in their order.
     *
     * @throws InvalidIdAllocatorPropertyException naming the first property core rejects
     */
    public static Map<String, ConfiguredPool> pools(IdAllocatorProperties properties) {
        Map<String, ConfiguredPool> pools = new LinkedHashMap<>();
        properties.enabledPools().forEach(name -> pools.put(name, pool(properties, name)));
        return pools;
    }

    /**
     * The pool {@code idallocator.pools.<name>}, which must be configured: its core configuration and its resources,
     * each checked as {@link io.github.idallocator.pool.ResourcePool#add} would check it.
     */
    static ConfiguredPool pool(IdAllocatorProperties properties, String name) {
        IdAllocatorProperties.Pool pool = Objects.requireNonNull(
                properties.pools().get(name), () -> "idallocator.pools." + name + " is not configured");
        String keyPrefix = pool.keyPrefix();
        PoolConfig config = map(
                () -> PoolConfig.builder(name)
                        .keyPrefix(keyPrefix != null ? keyPrefix : properties.keyPrefix())
                        .shared(pool.maxHolders())
                        .leaseTime(pool.leaseTime())
                        .autoRenew(pool.autoRenew())
                        .bindingTtl(pool.bindingTtl())
                        .waitPollBound(pool.waitPollBound())
                        .unhealthy(pool.unhealthyThreshold(), pool.unhealthyWindow())
                        .maintenanceInterval(pool.maintenanceInterval())
                        .healthCheckTimeout(pool.healthCheckTimeout())
                        .build(),
                e -> switch (String.valueOf(e.setting())) {
                    case "name" -> report(
                            e, IdAllocatorProperties.poolProperty(name, ""), "Rename the pool: " + fix(e));
                    case "keyPrefix" -> report(
                            e,
                            keyPrefix != null
                                    ? IdAllocatorProperties.poolProperty(name, "key-prefix")
                                    : PREFIX + ".key-prefix");
                    default -> report(e, IdAllocatorProperties.poolProperty(name, kebab(e)));
                });
        List<Seed> seeds = new ArrayList<>();
        for (int i = 0; i < pool.resources().size(); i++) {
            IdAllocatorProperties.Resource resource = pool.resources().get(i);
            String property = IdAllocatorProperties.poolProperty(name, "resources[" + i + "]");
            seeds.add(map(
                    () -> {
                        config.requireResource(resource.name(), resource.priority(), resource.metadata());
                        return new Seed(
                                Objects.requireNonNull(resource.name()), resource.priority(), resource.metadata());
                    },
                    e -> report(e, property + "." + ("resource".equals(e.setting()) ? "name" : kebab(e)))));
        }
        return new ConfiguredPool(config, seeds);
    }

    /**
     * The core configuration of the Snowflake generator of {@code idallocator.snowflake}: its layout, the timing of
     * its worker-id lease, the range allocator the worker ids are leased from, and its generator builder.
     */
    public static SnowflakeConfig snowflake(IdAllocatorProperties properties) {
        IdAllocatorProperties.Snowflake snowflake = properties.snowflake();
        requireLayoutWidths(snowflake);
        return map(
                () -> {
                    SnowflakeLayout layout = new SnowflakeLayout(
                            snowflake.timeBits(),
                            snowflake.workerBits(),
                            snowflake.sequenceBits(),
                            snowflake.epoch(),
                            snowflake.tick());
                    layout.requireUsableAt(System.currentTimeMillis());
                    Long workerIdMax = snowflake.workerIdMax();
                    long maxId = workerIdMax != null ? workerIdMax : layout.maxWorkerId();
                    layout.requireWorkerIdRange(snowflake.workerIdMin(), maxId);
                    WorkerLeaseSettings lease = new WorkerLeaseSettings(
                            snowflake.leaseTtl(),
                            snowflake.heartbeatInterval(),
                            snowflake.safetyMargin(),
                            snowflake.maxHandoverWait());
                    Duration recoveryPeriod = snowflake.recoveryPeriod();
                    // no reuse delay: a freed worker id carries its last timestamp, which the next holder waits out
                    IdAllocatorConfig workers = IdAllocatorConfig.builder(
                                    snowflake.allocatorName(), snowflake.workerIdMin(), maxId)
                            .keyPrefix(properties.keyPrefix())
                            .defaultTtl(snowflake.leaseTtl())
                            .reuseDelay(Duration.ZERO)
                            .replicaAcks(snowflake.replicaAcks())
                            .replicaAckTimeout(snowflake.replicaAckTimeout())
                            .recoveryPeriod(recoveryPeriod != null ? recoveryPeriod : snowflake.leaseTtl())
                            .build();
                    SnowflakeIdGenerator.Builder generator = SnowflakeIdGenerator.builder(layout)
                            .clockBackwardsTolerance(snowflake.clockBackwardsTolerance());
                    return new SnowflakeConfig(layout, lease, workers, generator);
                },
                e -> report(e, snowflakeProperty(String.valueOf(e.setting()), e)));
    }

    /**
     * The three widths must fill the 63 bits below the sign bit. They are wrong only together, so the report shows all
     * three; the core layout would name time-bits even when only worker-bits was written.
     */
    private static void requireLayoutWidths(IdAllocatorProperties.Snowflake snowflake) {
        int[] widths = {snowflake.timeBits(), snowflake.workerBits(), snowflake.sequenceBits()};
        String[] settings = {"time-bits", "worker-bits", "sequence-bits"};
        int sum = widths[0] + widths[1] + widths[2];
        if (widths[0] < 1
                || widths[1] < 1
                || widths[2] < 1
                || widths[1] > SnowflakeLayout.MAX_WORKER_BITS
                || sum == SnowflakeLayout.BITS) {
            return; // a single wrong width, or none: the core layout reports it
        }
        int change = SnowflakeLayout.BITS - sum;
        Map<String, Integer> together = new LinkedHashMap<>();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            together.put(IdAllocatorProperties.snowflakeProperty(settings[i]), widths[i]);
            int changed = widths[i] + change;
            if (changed >= 1 && (i != 1 || changed <= SnowflakeLayout.MAX_WORKER_BITS)) {
                options.add(settings[i] + " " + changed);
            }
        }
        String property = IdAllocatorProperties.snowflakeProperty("time-bits");
        throw new InvalidIdAllocatorPropertyException(
                property,
                widths[0],
                "the Snowflake layout " + widths[0] + "/" + widths[1] + "/" + widths[2]
                        + " (time/worker/sequence bits) adds up to " + sum + " bits, but the three parts must fill the "
                        + SnowflakeLayout.BITS + " bits below the sign bit",
                "Make time-bits + worker-bits + sequence-bits of " + IdAllocatorProperties.snowflakeProperty("")
                        + " add up to " + SnowflakeLayout.BITS + ", for example with "
                        + String.join(" or ", options) + " (the defaults are 41/10/12).",
                together);
    }

    /**
     * The Snowflake generator in core terms.
     *
     * @param layout the layout of its ids
     * @param lease the timing of its worker-id lease
     * @param workers the range allocator of its worker ids: {@code [worker-id-min, worker-id-max]}, leased for
     *     lease-ttl, without reuse delay, with the recovery period of lease-ttl unless one is configured
     * @param generator the generator's builder, on the system clocks
     */
    public record SnowflakeConfig(
            SnowflakeLayout layout,
            WorkerLeaseSettings lease,
            IdAllocatorConfig workers,
            SnowflakeIdGenerator.Builder generator) {}

    private static String snowflakeProperty(String setting, InvalidArgumentException e) {
        return switch (setting) {
            case "keyPrefix" -> PREFIX + ".key-prefix";
            case "name" -> IdAllocatorProperties.snowflakeProperty("allocator-name");
            case "minId" -> IdAllocatorProperties.snowflakeProperty("worker-id-min");
            case "maxId" -> IdAllocatorProperties.snowflakeProperty("worker-id-max");
            case "ttl", "defaultTtl" -> IdAllocatorProperties.snowflakeProperty("lease-ttl");
            default -> IdAllocatorProperties.snowflakeProperty(kebab(e));
        };
    }

    /**
     * Builds a core value of an optional module, turning a value core rejects into an {@link
     * InvalidIdAllocatorPropertyException} naming the property the rejected setting is bound from.
     *
     * @param build builds the value
     * @param property the full property name of a core setting, given in kebab-case ({@code visibility-timeout})
     * @param <T> the type of the value
     * @return the value
     * @throws InvalidIdAllocatorPropertyException when core rejects a setting
     */
    public static <T> T checked(Supplier<T> build, Function<String, String> property) {
        return map(build, e -> report(e, property.apply(kebab(e))));
    }

    private static <T> T map(
            Supplier<T> build, Function<InvalidArgumentException, InvalidIdAllocatorPropertyException> report) {
        try {
            return build.get();
        } catch (InvalidArgumentException e) {
            throw report.apply(e);
        }
    }

    private static InvalidIdAllocatorPropertyException report(InvalidArgumentException e, String property) {
        return report(e, property, "Change " + property + ": " + fix(e));
    }

    private static InvalidIdAllocatorPropertyException report(
            InvalidArgumentException e, String property, String action) {
        Object value = e.value();
        return new InvalidIdAllocatorPropertyException(
                property,
                value instanceof Duration duration ? Durations.format(duration) : value,
                e.problem(),
                action + ".");
    }

    private static String fix(InvalidArgumentException e) {
        String fix = e.fix();
        return fix != null ? fix : "see above";
    }

    /** The core setting in kebab-case, as properties write it: {@code heartbeatInterval} is heartbeat-interval. */
    private static String kebab(InvalidArgumentException e) {
        String setting = e.setting();
        return setting == null ? "" : setting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
