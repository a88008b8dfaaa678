package io.github.idallocator.micrometer;

import io.github.idallocator.pool.PoolEvent;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.ResourcePool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of resource pools, tag {@code pool}. From this instance's own state (no Redis call): the gauge {@value #HELD}
 * (leases of this instance held now) and the counter {@value #LOST} (leases of this instance lost: a renewal refused or
 * not confirmed before the local deadline, or a release that found the lease expired or revoked; each a {@code LOST}
 * event, counted from the first {@link #bindTo} on). From the pool's totals in Redis, the same for every instance:
 * the gauges {@value #RESOURCES}, {@value #AVAILABLE} (resources that can take a holder now), {@value #QUARANTINED},
 * {@value #DRAINING}, {@value #LEASES} (leases of all instances) and {@value #WAITERS}, and {@value #SNAPSHOT_AGE}
 * (seconds since those were last read).
 *
 * <p>A scrape never waits for Redis: the totals are read by a background thread of the binder's own, one pool after
 * the other every refresh interval, and the gauges report the last reading. Before the first reading, and while the
 * last one failed (Redis unreachable), they report {@code NaN}; the age keeps growing meanwhile. {@link #close()} stops
 * the thread. The acquisition timers and release counters come from {@link ObservedResourcePool}.
 */
public class PoolMeterBinder implements MeterBinder, AutoCloseable {

    /** Gauge of the leases of this instance held now. */
    public static final String HELD = "idallocator.pool.held";

    /** Counter of the leases of this instance lost. */
    public static final String LOST = "idallocator.pool.lost";

    /** Gauge of the pool's resources, draining ones included. */
    public static final String RESOURCES = "idallocator.pool.resources";

    /** Gauge of the resources that can take a holder now. */
    public static final String AVAILABLE = "idallocator.pool.available";

    /** Gauge of the quarantined resources. */
    public static final String QUARANTINED = "idallocator.pool.quarantined";

    /** Gauge of the draining resources. */
    public static final String DRAINING = "idallocator.pool.draining";

    /** Gauge of the leases of all instances. */
    public static final String LEASES = "idallocator.pool.leases";

    /** Gauge of the callers waiting for a resource (all instances). */
    public static final String WAITERS = "idallocator.pool.waiters";

    /** Gauge of the seconds since the totals were last read from Redis. */
    public static final String SNAPSHOT_AGE = "idallocator.pool.snapshot.age";

    /** How often the totals are read from Redis unless told otherwise: 5 seconds. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private final Iterable<? extends ResourcePool> pools;
    private final BackgroundReads<Tracked> reads;

    /**
     * Creates the binder; the totals are read every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param pools the pools to measure, read when the binder is first bound to a registry; their names must differ
     */
    public PoolMeterBinder(Iterable<? extends ResourcePool> pools) {
        this(pools, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Creates the binder.
     *
     * @param pools the pools to measure, read when the binder is first bound to a registry; their names must differ
     * @param refreshInterval how often the background thread reads the pools' totals from Redis (positive)
     */
    public PoolMeterBinder(Iterable<? extends ResourcePool> pools, Duration refreshInterval) {
        this.pools = pools;
        this.reads =
                new BackgroundReads<>("idallocator-pool-meters-", refreshInterval, tracked -> tracked.totals.refresh());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Tracked pool : tracked()) {
            String name = pool.pool.name();
            Gauge.builder(HELD, pool.pool, p -> p.heldLeases().size())
                    .description("Pool leases of this instance held now")
                    .tag("pool", name)
                    .baseUnit("leases")
                    .strongReference(true)
                    .register(registry);
            // the pool's listener keeps the count alive as long as the pool
            FunctionCounter.builder(LOST, pool.lost, AtomicLong::get)
                    .description("Pool leases of this instance lost: a renewal refused or not confirmed before the "
                            + "local deadline, or a release that found the lease expired or revoked")
                    .tag("pool", name)
                    .baseUnit("leases")
                    .register(registry);
            StatsReading<PoolSnapshot.Totals> totals = pool.totals;
            totals.gauge(
                    registry,
                    RESOURCES,
                    "Resources of the pool, draining ones included",
                    "resources",
                    t -> t.resources());
            totals.gauge(registry, AVAILABLE, "Resources that can take a holder now", "resources", t -> t.available());
            totals.gauge(registry, QUARANTINED, "Quarantined resources", "resources", t -> t.quarantined());
            totals.gauge(registry, DRAINING, "Resources being drained", "resources", t -> t.draining());
            totals.gauge(registry, LEASES, "Leases of all instances held now", "leases", t -> t.leases());
            totals.gauge(
                    registry, WAITERS, "Callers waiting for a resource (all instances)", "callers", t -> t.waiters());
            totals.age(registry, SNAPSHOT_AGE, "Seconds since the pool's totals were last read from Redis");
        }
    }

    /** The pools, tracked from the first call on; the first call also starts the background reads. */
    private List<Tracked> tracked() {
        return reads.items(() -> {
            List<Tracked> all = new ArrayList<>();
            for (ResourcePool pool : pools) {
                all.add(new Tracked(pool));
            }
            return all;
        });
    }

    /** Stops the background reads; the gauges keep their last values. */
    @Override
    public void close() {
        reads.close();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (ResourcePool pool : pools) {
            names.add(pool.name());
        }
        return "PoolMeterBinder" + names;
    }

    /** One pool: its lost count and its last reading. */
    private static final class Tracked {

        private final ResourcePool pool;
        private final AtomicLong lost = new AtomicLong();
        private final StatsReading<PoolSnapshot.Totals> totals;

        Tracked(ResourcePool pool) {
            this.pool = pool;
            this.totals = new StatsReading<>(
                    "pool", pool.name(), () -> pool.snapshot(null, 1).totals());
            pool.addListener(event -> {
                if (event.type() == PoolEvent.Type.LOST) {
                    lost.incrementAndGet();
                }
            });
        }
    }
}
