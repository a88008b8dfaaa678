package io.github.idallocator.micrometer;

import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Meters of every sequence, tag {@code sequence}, read from this instance's counters (no Redis call): the counters
 * {@code idallocator.sequence.ids} (handed out), {@code idallocator.sequence.reserved} (granted by Redis), {@code
 * idallocator.sequence.segments} and {@code idallocator.sequence.repairs}, and the gauges {@code
 * idallocator.sequence.position} (the last id handed out), {@code idallocator.sequence.high.water.mark}, {@code
 * idallocator.sequence.step} and {@code idallocator.sequence.refill.latency} (seconds the last segment took to fetch).
 */
public class SequenceMeterBinder implements MeterBinder {

    private final Iterable<? extends SequenceAllocator> sequences;

    /**
     * Creates the binder.
     *
     * @param sequences the sequences to measure, read when the binder is bound to a registry; their names must differ
     */
    public SequenceMeterBinder(Iterable<? extends SequenceAllocator> sequences) {
        this.sequences = sequences;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SequenceAllocator sequence : sequences) {
            counter(
                    registry,
                    "idallocator.sequence.ids",
                    "Ids handed out by this instance",
                    sequence,
                    s -> s.handedOut());
            counter(
                    registry,
                    "idallocator.sequence.reserved",
                    "Ids granted to this instance by Redis (handed out, or waiting in the current segments)",
                    sequence,
                    SequenceStats::reserved);
            counter(
                    registry,
                    "idallocator.sequence.segments",
                    "Segments granted to this instance by Redis",
                    sequence,
                    SequenceStats::segmentsFetched);
            counter(
                    registry,
                    "idallocator.sequence.repairs",
                    "Times Redis was found below this instance's floor (lost data, or the configured floor) and moved up",
                    sequence,
                    SequenceStats::repairs);
            gauge(
                    registry,
                    "idallocator.sequence.position",
                    "The highest id this instance handed out; -1 before the first",
                    null,
                    sequence,
                    SequenceStats::lastHandedOut);
            gauge(
                    registry,
                    "idallocator.sequence.high.water.mark",
                    "The highest id Redis granted to this instance; -1 before the first segment",
                    null,
                    sequence,
                    SequenceStats::highWaterMark);
            gauge(registry, "idallocator.sequence.step", "The current segment size", "ids", sequence, s -> s.step());
            gauge(
                    registry,
                    "idallocator.sequence.refill.latency",
                    "Duration of the last Redis call that granted a segment",
                    "seconds",
                    sequence,
                    s -> s.lastRefillLatency().toNanos() / 1e9);
        }
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            String description,
            SequenceAllocator sequence,
            ToDoubleFunction<SequenceStats> value) {
        FunctionCounter.builder(name, sequence, s -> value.applyAsDouble(s.stats()))
                .description(description)
                .tag("sequence", sequence.name())
                .baseUnit(name.endsWith("segments") || name.endsWith("repairs") ? null : "ids")
                .register(registry);
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            @Nullable String unit,
            SequenceAllocator sequence,
            ToDoubleFunction<SequenceStats> value) {
        Gauge.builder(name, sequence, s -> value.applyAsDouble(s.stats()))
                .description(description)
                .tag("sequence", sequence.name())
                .baseUnit(unit)
                .strongReference(true)
                .register(registry);
    }
}
