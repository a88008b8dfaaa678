package io.github.idallocator.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Passes events on to a publisher, holding back those published before {@link #release()} until then. Events that
 * happen while the application context is still being created (the Snowflake worker id leased as its bean is created,
 * a sequence repaired by a bean that takes an id in its constructor) would otherwise reach only the listeners
 * registered so far, not {@code @EventListener} methods. {@link IdAllocatorLifecycle} releases them when it starts.
 */
final class HeldBackEvents implements ApplicationEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(HeldBackEvents.class);

    private final ApplicationEventPublisher publisher;
    private final Object releasing = new Object();
    /** The events held back so far; {@code null} once released. Guarded by {@code this}. */
    private @Nullable List<Object> heldBack = new ArrayList<>();

    HeldBackEvents(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** Publishes {@code event} now once released, else keeps it until {@link #release()}. */
    @Override
    public void publishEvent(Object event) {
        synchronized (this) {
            if (heldBack != null) {
                heldBack.add(event);
                return;
            }
        }
        publisher.publishEvent(event);
    }

    /**
     * Publishes the events held back, in the order they came (also those that come while this runs), then lets every
     * later event through at once. A listener that fails is logged and the other events are still published. Calling
     * it again does nothing.
     */
    void release() {
        synchronized (releasing) {
            while (true) {
                List<Object> batch;
                synchronized (this) {
                    if (heldBack == null) {
                        return;
                    }
                    if (heldBack.isEmpty()) {
                        heldBack = null;
                        return;
                    }
                    batch = heldBack;
                    heldBack = new ArrayList<>();
                }
                for (Object event : batch) {
                    try {
                        publisher.publishEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("A listener of {} held back until idallocator started failed", event, e);
                    }
                }
            }
        }
    }
}
