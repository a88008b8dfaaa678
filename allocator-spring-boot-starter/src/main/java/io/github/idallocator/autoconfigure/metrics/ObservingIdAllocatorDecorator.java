package io.github.idallocator.autoconfigure.metrics;

import io.github.idallocator.micrometer.ObservedIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.spring.IdAllocatorDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Wraps each configured allocator in an {@link ObservedIdAllocator}, with the application's {@link
 * ObservationRegistry} (or {@link ObservationRegistry#NOOP}) and {@link MeterRegistry} (or no counters), looked up
 * when the allocator is created.
 */
public final class ObservingIdAllocatorDecorator implements IdAllocatorDecorator {

    private final ObjectProvider<ObservationRegistry> observations;
    private final ObjectProvider<MeterRegistry> meters;

    /**
     * Creates the decorator.
     *
     * @param observations the observation registry, if there is one
     * @param meters the meter registry, if there is one
     */
    public ObservingIdAllocatorDecorator(
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<MeterRegistry> meters) {
        this.observations = observations;
        this.meters = meters;
    }

    @Override
    public IdAllocator decorate(IdAllocator allocator) {
        return ObservedIdAllocator.decorate(
                allocator, observations.getIfAvailable(() -> ObservationRegistry.NOOP), meters.getIfAvailable());
    }
}
