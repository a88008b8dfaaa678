package io.github.idallocator.micrometer;

import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of a lock service, tag {@code namespace}, from this instance's own state (no Redis call): the gauge {@value
 * #HELD} (leases of this service held now) and the counter {@value #LOST} (leases lost: a renewal refused or not
 * confirmed before the local deadline, or a release that found the lease expired or taken; each a {@code LOST} event).
 * Losses are counted from the binder's creation on. The acquisition timers come from {@link ObservedLockService}.
 */
public class LockMeterBinder implements MeterBinder {

    /** Gauge of the leases held now. */
    public static final String HELD = "idallocator.lock.held";

    /** Counter of the leases lost. */
    public static final String LOST = "idallocator.lock.lost";

    private final LockService service;
    private final AtomicLong lost = new AtomicLong();

    /**
     * Creates the binder; it counts the service's lost leases from now on.
     *
     * @param service the lock service to measure
     */
    public LockMeterBinder(LockService service) {
        this.service = service;
        service.addListener(event -> {
            if (event.type() == LockEvent.Type.LOST) {
                lost.incrementAndGet();
            }
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String namespace = service.config().namespace();
        Gauge.builder(HELD, service, s -> s.heldLocks().size())
                .description("Lock leases of this instance held now")
                .tag("namespace", namespace)
                .baseUnit("locks")
                .strongReference(true)
                .register(registry);
        // the listener keeps the count alive as long as the service
        FunctionCounter.builder(LOST, lost, AtomicLong::get)
                .description("Lock leases of this instance lost: a renewal refused or not confirmed before the local "
                        + "deadline, or a release that found the lease expired or taken by another owner")
                .tag("namespace", namespace)
                .baseUnit("locks")
                .register(registry);
    }

    @Override
    public String toString() {
        return "LockMeterBinder[" + service.config().namespace() + "]";
    }
}
