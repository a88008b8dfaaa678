package io.github.idallocator.autoconfigure.metrics;

import io.github.idallocator.lock.LockService;
import io.github.idallocator.micrometer.ObservedLockService;
import io.github.idallocator.spring.LockServiceDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Wraps the starter's lock service in an {@link ObservedLockService} that times its acquisitions on the application's
 * {@link MeterRegistry}, looked up when the service is created (without one, the service is left as it is).
 */
public final class ObservingLockServiceDecorator implements LockServiceDecorator {

    private final ObjectProvider<MeterRegistry> meters;

    /**
     * Creates the decorator.
     *
     * @param meters the meter registry, if there is one
     */
    public ObservingLockServiceDecorator(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters;
    }

    @Override
    public LockService decorate(LockService service) {
        MeterRegistry registry = meters.getIfAvailable();
        return registry == null ? service : ObservedLockService.decorate(service, registry);
    }
}
