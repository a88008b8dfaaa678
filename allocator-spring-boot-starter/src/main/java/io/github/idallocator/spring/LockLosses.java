package io.github.idallocator.spring;

import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockListener;
import io.github.idallocator.lock.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The lock leases of one {@link LockService} this instance lost ({@link LockEvent.Type#LOST} events: a renewal refused
 * or not confirmed before the local deadline, or a release that found the lease expired or taken): how many since it
 * was created, and the last one. Read by the {@code locks} health indicator and the {@code idallocator} endpoint; no
 * Redis call.
 */
public final class LockLosses implements LockListener {

    private final AtomicLong count = new AtomicLong();
    private volatile @Nullable Loss last;

    private LockLosses() {}

    /**
     * Records the losses of {@code service} from now on (it is added as a listener).
     *
     * @param service the lock service
     * @return the record
     */
    public static LockLosses of(LockService service) {
        LockLosses losses = new LockLosses();
        service.addListener(losses);
        return losses;
    }

    /**
     * One lost lease.
     *
     * @param event the {@code LOST} event: lock name, owner, fencing token and why
     * @param at when it was reported, by the wall clock
     * @param nanos when it was reported, by {@link System#nanoTime()}
     */
    public record Loss(LockEvent event, Instant at, long nanos) {

        /** Time since the loss was reported. */
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - nanos);
        }
    }

    @Override
    public void onEvent(LockEvent event) {
        if (event.type() == LockEvent.Type.LOST) {
            last = new Loss(event, Instant.now(), System.nanoTime());
            count.incrementAndGet();
        }
    }

    /** Leases lost since this record was created. */
    public long count() {
        return count.get();
    }

    /** The last lease lost, if any. */
    public Optional<Loss> last() {
        return Optional.ofNullable(last);
    }

    /** Whether a lease was lost within {@code window} before now; never for a zero window. */
    public boolean lostWithin(Duration window) {
        Loss loss = last;
        return loss != null && !window.isZero() && loss.age().compareTo(window) < 0;
    }

    @Override
    public String toString() {
        return "LockLosses[" + count() + "]";
    }
}
