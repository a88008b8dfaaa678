package io.github.idallocator.autoconfigure.metrics;

import io.github.idallocator.micrometer.ObservedResourcePool;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.ResourcePoolDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Wraps each configured pool in an {@link ObservedResourcePool} that times its acquisitions and counts its releases on
 * the application's {@link MeterRegistry}, looked up when the pool is created (without one, the pool is left as it is).
 */
public final class ObservingResourcePoolDecorator implements ResourcePoolDecorator {

    private final ObjectProvider<MeterRegistry> meters;

    /**
     * Creates the decorator.
     *
     * @param meters the meter registry, if there is one
     */
    public ObservingResourcePoolDecorator(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters;
    }

    @Override
    public ResourcePool decorate(ResourcePool pool) {
        MeterRegistry registry = meters.getIfAvailable();
        return registry == null ? pool : ObservedResourcePool.decorate(pool, registry);
    }
}
