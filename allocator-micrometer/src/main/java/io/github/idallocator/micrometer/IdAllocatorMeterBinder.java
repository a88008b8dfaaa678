package io.github.idallocator.micrometer;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Role;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of every allocator, tag {@code allocator}: {@code idallocator.ids.allocated}, {@code idallocator.ids.available},
 * {@code idallocator.utilisation}, {@code idallocator.creator} (1 while this instance is the creator) and the counter
 * {@code idallocator.leases.reclaimed} (leases reclaimed by expiry, counted by Redis for all instances together). The
 * stats behind them are read from Redis at most once per {@link #STATS_MAX_AGE} per allocator, however many meters and
 * scrapes ask.
 */
public class IdAllocatorMeterBinder implements MeterBinder {

    /** How long one read of an allocator's stats serves the gauges. */
    public static final Duration STATS_MAX_AGE = Duration.ofSeconds(1);

    private final Iterable<? extends IdAllocator> allocators;

    /** The function counters hold their state weakly: this list keeps it alive as long as the binder. */
    private final List<CachedStats> cached = new CopyOnWriteArrayList<>();

    /**
     * Creates the binder.
     *
     * @param allocators the allocators to measure, read when the binder is bound to a registry; their names must differ
     */
    public IdAllocatorMeterBinder(Iterable<? extends IdAllocator> allocators) {
        this.allocators = allocators;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (IdAllocator allocator : allocators) {
            CachedStats stats = new CachedStats(allocator);
            cached.add(stats);
            String name = allocator.name();
            gauge(
                    registry,
                    "idallocator.ids.allocated",
                    name,
                    "Ids held by leases",
                    "ids",
                    stats,
                    AllocatorStats::allocated);
            gauge(
                    registry,
                    "idallocator.ids.available",
                    name,
                    "Ids that can be handed out now",
                    "ids",
                    stats,
                    AllocatorStats::available);
            gauge(
                    registry,
                    "idallocator.utilisation",
                    name,
                    "Allocated ids / size of the range, 0 to 1",
                    null,
                    stats,
                    AllocatorStats::utilisation);
            Gauge.builder("idallocator.creator", allocator, a -> CreatorElection.roleOf(a) == Role.CREATOR ? 1 : 0)
                    .description("1 while this instance holds the creator role of the allocator, else 0")
                    .tag("allocator", name)
                    .strongReference(true)
                    .register(registry);
            FunctionCounter.builder("idallocator.leases.reclaimed", stats, s -> s.read(AllocatorStats::reclaimedLeases))
                    .description("Leases reclaimed by expiry since the allocator was created (all instances)")
                    .tag("allocator", name)
                    .baseUnit("leases")
                    .register(registry);
        }
    }

    private static void gauge(
            MeterRegistry registry,
            String meter,
            String allocator,
            String description,
            @Nullable String unit,
            CachedStats stats,
            ToDoubleFunction<AllocatorStats> value) {
        Gauge.builder(meter, stats, s -> s.read(value))
                .description(description)
                .tag("allocator", allocator)
                .baseUnit(unit)
                .strongReference(true)
                .register(registry);
    }

    /** One allocator's stats, read again when older than {@link #STATS_MAX_AGE}; a failed read is cached as well. */
    private static final class CachedStats {

        private final IdAllocator allocator;
        private @Nullable AllocatorStats stats;
        private long readAtNanos;
        private boolean read;

        CachedStats(IdAllocator allocator) {
            this.allocator = allocator;
        }

        synchronized double read(ToDoubleFunction<AllocatorStats> value) {
            long now = System.nanoTime();
            if (!read || now - readAtNanos >= STATS_MAX_AGE.toNanos()) {
                try {
                    stats = allocator.stats();
                } catch (IdAllocatorException e) {
                    stats = null;
                }
                readAtNanos = now;
                read = true;
            }
            return stats == null ? Double.NaN : value.applyAsDouble(stats);
        }
    }
}
