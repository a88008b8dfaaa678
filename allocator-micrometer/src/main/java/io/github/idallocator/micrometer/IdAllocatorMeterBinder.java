package io.github.idallocator.micrometer;

import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters of every allocator, tag {@code allocator}: the gauges {@value #ALLOCATED}, {@value #AVAILABLE}, {@value
 * #UTILISATION}, {@value #CREATOR} (1 while this instance is the creator, from its own state), {@value #STATS_AGE}
 * (seconds since the stats were last read) and the counter {@value #RECLAIMED} (leases reclaimed by expiry, counted by
 * Redis for all instances together).
 *
 * <p>A scrape never waits for Redis: the stats are read by a background thread of the binder's own, one allocator after
 * the other every refresh interval, and the meters report the last reading. Before the first reading, and while the
 * last one failed (Redis unreachable), the gauges read from Redis report {@code NaN} and the counter keeps its last
 * value; the age keeps growing meanwhile. {@link #close()} stops the thread.
 */
public class IdAllocatorMeterBinder implements MeterBinder, AutoCloseable {

    /** Gauge of the ids held by leases. */
    public static final String ALLOCATED = "idallocator.ids.allocated";

    /** Gauge of the ids that can be handed out now. */
    public static final String AVAILABLE = "idallocator.ids.available";

    /** Gauge of allocated ids / size of the range. */
    public static final String UTILISATION = "idallocator.utilisation";

    /** Gauge that is 1 while this instance holds the creator role. */
    public static final String CREATOR = "idallocator.creator";

    /** Counter of the leases reclaimed by expiry (all instances). */
    public static final String RECLAIMED = "idallocator.leases.reclaimed";

    /** Gauge of the seconds since the stats were last read from Redis. */
    public static final String STATS_AGE = "idallocator.stats.age";

    /** How often the stats are read from Redis unless told otherwise: 5 seconds. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private final Iterable<? extends IdAllocator> allocators;
    private final BackgroundReads<Tracked> reads;

    /**
     * Creates the binder; the stats are read every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param allocators the allocators to measure, read when the binder is first bound to a registry; their names must
     *     differ
     */
    public IdAllocatorMeterBinder(Iterable<? extends IdAllocator> allocators) {
        this(allocators, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Creates the binder.
     *
     * @param allocators the allocators to measure, read when the binder is first bound to a registry; their names must
     *     differ
     * @param refreshInterval how often the background thread reads the allocators' stats from Redis (positive)
     */
    public IdAllocatorMeterBinder(Iterable<? extends IdAllocator> allocators, Duration refreshInterval) {
        this.allocators = allocators;
        this.reads = new BackgroundReads<>("idallocator-allocator-meters-", refreshInterval, tracked -> tracked.stats()
                .refresh());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Tracked tracked : tracked()) {
            IdAllocator allocator = tracked.allocator();
            StatsReading<AllocatorStats> reading = tracked.stats();
            reading.gauge(registry, ALLOCATED, "Ids held by leases", "ids", AllocatorStats::allocated);
            reading.gauge(registry, AVAILABLE, "Ids that can be handed out now", "ids", AllocatorStats::available);
            reading.gauge(
                    registry,
                    UTILISATION,
                    "Allocated ids / size of the range, 0 to 1",
                    null,
                    AllocatorStats::utilisation);
            Gauge.builder(CREATOR, allocator, a -> CreatorElection.roleOf(a) == Role.CREATOR ? 1 : 0)
                    .description("1 while this instance holds the creator role of the allocator, else 0")
                    .tag("allocator", allocator.name())
                    .strongReference(true)
                    .register(registry);
            reading.counter(
                    registry,
                    RECLAIMED,
                    "Leases reclaimed by expiry since the allocator was created (all instances)",
                    "leases",
                    AllocatorStats::reclaimedLeases);
            reading.age(registry, STATS_AGE, "Seconds since the allocator's stats were last read from Redis");
        }
    }

    /** The allocators, tracked from the first call on; the first call also starts the background reads. */
    private List<Tracked> tracked() {
        return reads.items(() -> {
            List<Tracked> all = new ArrayList<>();
            for (IdAllocator allocator : allocators) {
                all.add(new Tracked(allocator));
            }
            return all;
        });
    }

    /** Stops the background reads; the meters keep their last values. */
    @Override
    public void close() {
        reads.close();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (IdAllocator allocator : allocators) {
            names.add(allocator.name());
        }
        return "IdAllocatorMeterBinder" + names;
    }

    /** One allocator and its last reading. */
    private record Tracked(IdAllocator allocator, StatsReading<AllocatorStats> stats) {

        Tracked(IdAllocator allocator) {
            this(allocator, new StatsReading<>("allocator", allocator.name(), allocator::stats));
        }
    }
}
