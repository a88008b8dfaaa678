package io.github.idallocator.micrometer;

import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Meters of the Snowflake generator, read from its local counters (no Redis call): the counters {@code
 * idallocator.snowflake.ids}, {@code idallocator.snowflake.clock.backwards} (tag {@code outcome}: {@code waited} or
 * {@code failed}) and {@code idallocator.snowflake.lease.lost} (calls refused without a valid lease), and the gauges
 * {@code idallocator.snowflake.worker.id}, {@code idallocator.snowflake.lease.valid} (1 or 0) and {@code
 * idallocator.snowflake.lease.renewal.age} (seconds since the lease was last renewed).
 */
public class SnowflakeMeterBinder implements MeterBinder {

    private final SnowflakeIdGenerator generator;
    private final WorkerIdLease lease;

    /**
     * Creates the binder.
     *
     * @param generator the generator
     * @param lease the lease that supplies the generator with its worker id
     */
    public SnowflakeMeterBinder(SnowflakeIdGenerator generator, WorkerIdLease lease) {
        this.generator = generator;
        this.lease = lease;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "idallocator.snowflake.ids", "Snowflake ids issued", "ids", null, generator, s -> s.issued());
        counter(
                registry,
                "idallocator.snowflake.clock.backwards",
                "Times the wall clock was behind the last issued id: waited out (within the tolerance) or failed",
                null,
                "waited",
                generator,
                SnowflakeIdGenerator.Stats::clockBackwardsWaits);
        counter(
                registry,
                "idallocator.snowflake.clock.backwards",
                "Times the wall clock was behind the last issued id: waited out (within the tolerance) or failed",
                null,
                "failed",
                generator,
                SnowflakeIdGenerator.Stats::clockBackwardsFailures);
        counter(
                registry,
                "idallocator.snowflake.lease.lost",
                "Calls refused with WorkerLeaseLostException because no valid worker-id lease was held",
                "calls",
                null,
                generator,
                SnowflakeIdGenerator.Stats::leaseLostRejections);
        Gauge.builder("idallocator.snowflake.worker.id", lease, WorkerIdLease::workerId)
                .description("The leased Snowflake worker id; -1 while none is held")
                .strongReference(true)
                .register(registry);
        Gauge.builder("idallocator.snowflake.lease.valid", generator, g -> g.isGranted() ? 1 : 0)
                .description("1 while the generator issues ids under a valid worker-id lease, else 0")
                .strongReference(true)
                .register(registry);
        Gauge.builder("idallocator.snowflake.lease.renewal.age", lease, SnowflakeMeterBinder::secondsSinceRenewal)
                .description("Seconds since the worker-id lease was last acquired or renewed")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    private static double secondsSinceRenewal(WorkerIdLease lease) {
        long last = lease.lastRenewalNanos();
        return last == 0 ? Double.NaN : (double) (System.nanoTime() - last) / TimeUnit.SECONDS.toNanos(1);
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            String description,
            @Nullable String unit,
            @Nullable String outcome,
            SnowflakeIdGenerator generator,
            ToLongFunction<SnowflakeIdGenerator.Stats> value) {
        FunctionCounter.Builder<SnowflakeIdGenerator> builder = FunctionCounter.builder(
                        name, generator, g -> value.applyAsLong(g.stats()))
                .description(description)
                .baseUnit(unit);
        if (outcome != null) {
            builder.tag("outcome", outcome);
        }
        builder.register(registry);
    }

    @Override
    public String toString() {
        return "SnowflakeMeterBinder[workerId=" + lease.workerId() + "]";
    }
}
