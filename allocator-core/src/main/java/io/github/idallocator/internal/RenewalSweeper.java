package io.github.idallocator.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs the check of each held lease (its renewal, or the report of its loss) when it is due, from one sweep over the
 * leases scheduled at the earliest due time. Adding a lease due later than the next sweep touches no scheduler, so the
 * scheduler's thread is not woken by every acquisition; a due lease is taken out and its check runs on the scheduler,
 * which adds it again ({@link #checkAt}) when the lease stays held.
 */
final class RenewalSweeper<L> {

    private final ScheduledExecutorService scheduler;
    private final Function<L, LeaseClock> clock;
    private final Consumer<L> check;
    private final Set<L> leases = ConcurrentHashMap.newKeySet();
    private final Object schedule = new Object();
    private volatile boolean scheduled;
    private volatile long sweepAt;
    private @Nullable ScheduledFuture<?> sweep;

    RenewalSweeper(ScheduledExecutorService scheduler, Function<L, LeaseClock> clock, Consumer<L> check) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.check = check;
    }

    /** Runs {@code lease}'s check at about {@code atNanos} ({@link System#nanoTime()}; at once when past). */
    void checkAt(L lease, long atNanos) {
        clock.apply(lease).nextCheckNanos(atNanos);
        leases.add(lease);
        sweepBy(atNanos);
    }

    /** Stops checking {@code lease} (released or lost); a check already running finishes. */
    void forget(L lease) {
        leases.remove(lease);
    }

    /** Makes sure a sweep runs at {@code atNanos} or earlier. */
    private void sweepBy(long atNanos) {
        if (scheduled && atNanos - sweepAt >= 0) {
            return;
        }
        synchronized (schedule) {
            if (scheduled && atNanos - sweepAt >= 0) {
                return;
            }
            ScheduledFuture<?> previous = sweep;
            if (previous != null) {
                previous.cancel(false);
            }
            try {
                sweep = scheduler.schedule(this::sweep, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                sweepAt = atNanos;
                scheduled = true;
            } catch (RejectedExecutionException closed) {
                sweep = null;
            }
        }
    }

    private void sweep() {
        synchronized (schedule) {
            scheduled = false;
            sweep = null;
        }
        long now = System.nanoTime();
        long next = 0;
        boolean pending = false;
        for (L lease : leases) {
            LeaseClock leaseClock = clock.apply(lease);
            if (leaseClock.state() != LeaseClock.State.HELD) {
                leases.remove(lease);
                continue;
            }
            long due = leaseClock.nextCheckNanos();
            if (due - now <= 0) {
                if (leases.remove(lease)) {
                    run(lease);
                }
            } else if (!pending || due - next < 0) {
                next = due;
                pending = true;
            }
        }
        if (pending) {
            sweepBy(next);
        }
    }

    private void run(L lease) {
        try {
            scheduler.execute(() -> check.accept(lease));
        } catch (RejectedExecutionException closed) {
            // the service is closing; its leases are released or expire
        }
    }
}
