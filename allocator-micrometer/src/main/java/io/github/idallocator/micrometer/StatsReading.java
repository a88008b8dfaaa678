package io.github.idallocator.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The last reading of one object's stats from Redis, made by {@link BackgroundReads}, and the meters that report it,
 * all tagged with the object's name: gauges of the current reading ({@code NaN} before the first one and while the last
 * one failed: a value from before a failure would look current), counters of the last good reading (0 before the
 * first), and the age of the last good reading in seconds.
 *
 * @param <S> what one reading holds, such as an allocator's stats
 */
final class StatsReading<S> {

    private final String tag;
    private final String name;
    private final Supplier<S> read;
    private volatile @Nullable S current;
    private volatile @Nullable S last;
    private volatile long readAtNanos;

    /**
     * @param tag the tag every meter carries, such as {@code allocator}
     * @param name the object's name, the tag's value
     * @param read reads the stats from Redis
     */
    StatsReading(String tag, String name, Supplier<S> read) {
        this.tag = tag;
        this.name = name;
        this.read = read;
    }

    /** The object's name. */
    String name() {
        return name;
    }

    /** Reads the stats again; a failed read leaves the gauges at {@code NaN} until a read succeeds. */
    void refresh() {
        try {
            S stats = read.get();
            readAtNanos = System.nanoTime();
            last = stats;
            current = stats;
        } catch (RuntimeException e) {
            current = null;
        }
    }

    /** Registers a gauge of {@code value} of the current reading. */
    void gauge(
            MeterRegistry registry,
            String meter,
            String description,
            @Nullable String unit,
            ToDoubleFunction<S> value) {
        Gauge.builder(meter, this, r -> r.current(value))
                .description(description)
                .tag(tag, name)
                .baseUnit(unit)
                .strongReference(true)
                .register(registry);
    }

    /**
     * Registers a counter of {@code value} of the last good reading: a count Redis keeps for all instances. Its weak
     * reference to this reading lives as long as the binder's gauges, which hold it strongly.
     */
    void counter(MeterRegistry registry, String meter, String description, String unit, ToDoubleFunction<S> value) {
        FunctionCounter.builder(meter, this, r -> r.last(value))
                .description(description)
                .tag(tag, name)
                .baseUnit(unit)
                .register(registry);
    }

    /** Registers the gauge of the seconds since the last good reading ({@code NaN} before the first). */
    void age(MeterRegistry registry, String meter, String description) {
        Gauge.builder(meter, this, StatsReading::ageSeconds)
                .description(description)
                .tag(tag, name)
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    private double current(ToDoubleFunction<S> value) {
        S stats = current;
        return stats == null ? Double.NaN : value.applyAsDouble(stats);
    }

    private double last(ToDoubleFunction<S> value) {
        S stats = last;
        return stats == null ? 0 : value.applyAsDouble(stats);
    }

    private double ageSeconds() {
        return last == null ? Double.NaN : (System.nanoTime() - readAtNanos) / 1e9;
    }
}
