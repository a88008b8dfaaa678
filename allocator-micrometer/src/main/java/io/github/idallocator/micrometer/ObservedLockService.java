package io.github.idallocator.micrometer;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.lock.ForwardingLockService;
import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockListener;
import io.github.idallocator.lock.LockService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * Times the acquisitions of a {@link LockService}: the timer {@value #ACQUIRE} (every acquisition, from the call to its
 * result, waiting included) and the timer {@value #WAIT} (only acquisitions that waited for other holders: for a
 * granted one its {@link LockLease#waited()}, from the call to the attempt that was granted; for a timeout the whole
 * call), both tagged {@code namespace} and {@code outcome}: {@code acquired}, {@code timeout} (held by others for the
 * whole wait, or at once for a call that does not wait), {@code invalid} (rejected for its arguments with
 * InvalidArgumentException, before Redis is asked) or {@code error} (any other exception: Redis unreachable, replicas
 * not confirming, an interrupt).
 *
 * <p>Every acquisition is one call of the wrapped service: the wrapper adds no Redis call. {@code Lock}s from {@link
 * #asLock(String)} are timed the same way (their waiting time comes from the service's {@code ACQUIRED} event, which is
 * published on the acquiring thread), except a re-entry by the holding thread, which acquires nothing in Redis and is
 * not timed. Leases, {@code Lock}s, {@link #heldLocks()}, the configuration and the listeners are those of the wrapped
 * service: a lease acquired through this wrapper is released, renewed and lost exactly as one acquired without it.
 *
 * <p>Wrap a service with {@link #decorate(LockService, MeterRegistry)} and use the wrapper in its place; the Spring
 * Boot starter does so for its {@code LockService} bean. The held gauge and the lost counter come from {@link
 * LockMeterBinder}.
 */
public final class ObservedLockService extends ForwardingLockService {

    /** Timer of every acquisition; tags {@code namespace}, {@code outcome}. */
    public static final String ACQUIRE = "idallocator.lock.acquire";

    /** Timer of the waiting of acquisitions that waited for other holders; tags {@code namespace}, {@code outcome}. */
    public static final String WAIT = "idallocator.lock.wait";

    private final Outcomes acquisitions;
    private final Outcomes waits;

    /**
     * Per thread, the acquisitions granted on it and the waiting time of the last one (ACQUIRED events come on the
     * acquiring thread): tells a {@code Lock} re-entry apart and gives a {@code Lock}'s waiting time.
     */
    private final ThreadLocal<long[]> grantedOnThisThread = ThreadLocal.withInitial(() -> new long[2]);

    /**
     * Wraps {@code service}: its acquisitions are timed on {@code meters}.
     *
     * @param service the lock service to observe
     * @param meters where the timers are registered
     * @return the wrapper, to use in place of {@code service}
     */
    public static ObservedLockService decorate(LockService service, MeterRegistry meters) {
        return new ObservedLockService(service, meters);
    }

    private ObservedLockService(LockService delegate, MeterRegistry meters) {
        super(delegate);
        String namespace = delegate.config().namespace();
        this.acquisitions = new Outcomes(
                meters,
                ACQUIRE,
                "Lock acquisitions, from the call to its result (waiting included), by outcome",
                namespace);
        this.waits =
                new Outcomes(meters, WAIT, "Time lock acquisitions waited for other holders, by outcome", namespace);
        LockListener granted = event -> {
            if (event.type() == LockEvent.Type.ACQUIRED) {
                long[] onThisThread = grantedOnThisThread.get();
                onThisThread[0]++;
                onThisThread[1] = event.waited().toNanos();
            }
        };
        delegate.addListener(granted);
    }

    @Override
    public Optional<LockLease> tryAcquire(String name, Duration waitTimeout, Duration leaseTime) {
        long start = System.nanoTime();
        Optional<LockLease> lease;
        try {
            lease = delegate().tryAcquire(name, waitTimeout, leaseTime);
        } catch (RuntimeException e) {
            failed(start, e);
            throw e;
        }
        long took = System.nanoTime() - start;
        if (lease.isPresent()) {
            granted(took, lease.get().waited().toNanos());
        } else {
            timedOut(took, !waitTimeout.isZero() && !waitTimeout.isNegative());
        }
        return lease;
    }

    @Override
    public Lock asLock(String name) {
        return new ObservedLock(delegate().asLock(name));
    }

    private void granted(long tookNanos, long waitedNanos) {
        acquisitions.timer(Outcome.ACQUIRED).record(tookNanos, TimeUnit.NANOSECONDS);
        if (waitedNanos > 0) {
            waits.timer(Outcome.ACQUIRED).record(waitedNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void timedOut(long tookNanos, boolean waited) {
        acquisitions.timer(Outcome.TIMEOUT).record(tookNanos, TimeUnit.NANOSECONDS);
        if (waited) {
            waits.timer(Outcome.TIMEOUT).record(tookNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void failed(long start, Exception e) {
        acquisitions
                .timer(e instanceof InvalidArgumentException ? Outcome.INVALID : Outcome.ERROR)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private long grantedSoFar() {
        return grantedOnThisThread.get()[0];
    }

    /** What an acquisition came to. */
    private enum Outcome {
        ACQUIRED("acquired"),
        TIMEOUT("timeout"),
        INVALID("invalid"),
        ERROR("error");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    /** One timer per outcome, registered up front so that every outcome is visible from the start. */
    private static final class Outcomes {
        private final Timer[] timers = new Timer[Outcome.values().length];

        Outcomes(MeterRegistry meters, String name, String description, String namespace) {
            for (Outcome outcome : Outcome.values()) {
                timers[outcome.ordinal()] = Timer.builder(name)
                        .description(description)
                        .tag("namespace", namespace)
                        .tag("outcome", outcome.tag)
                        .register(meters);
            }
        }

        Timer timer(Outcome outcome) {
            return timers[outcome.ordinal()];
        }
    }

    /**
     * A {@code Lock} of the wrapped service whose acquisitions are timed like {@link #tryAcquire}. A call that only
     * re-entered the current thread's hold (no ACQUIRED event on this thread during the call) is not timed.
     */
    private final class ObservedLock implements Lock {

        private final Lock lock;

        ObservedLock(Lock lock) {
            this.lock = lock;
        }

        @Override
        public void lock() {
            long start = System.nanoTime();
            long before = grantedSoFar();
            try {
                lock.lock();
            } catch (RuntimeException e) {
                failed(start, e);
                throw e;
            }
            entered(start, before);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            long start = System.nanoTime();
            long before = grantedSoFar();
            try {
                lock.lockInterruptibly();
            } catch (RuntimeException | InterruptedException e) {
                failed(start, e);
                throw e;
            }
            entered(start, before);
        }

        @Override
        public boolean tryLock() {
            long start = System.nanoTime();
            long before = grantedSoFar();
            boolean entered;
            try {
                entered = lock.tryLock();
            } catch (RuntimeException e) {
                failed(start, e);
                throw e;
            }
            if (entered) {
                entered(start, before);
            } else {
                timedOut(System.nanoTime() - start, false);
            }
            return entered;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            long start = System.nanoTime();
            long before = grantedSoFar();
            boolean entered;
            try {
                entered = lock.tryLock(time, unit);
            } catch (RuntimeException | InterruptedException e) {
                failed(start, e);
                throw e;
            }
            if (entered) {
                entered(start, before);
            } else {
                timedOut(System.nanoTime() - start, time > 0);
            }
            return entered;
        }

        /** Times an entry unless it was a re-entry: no lease was granted on this thread during the call. */
        private void entered(long start, long grantedBefore) {
            long[] granted = grantedOnThisThread.get();
            if (granted[0] != grantedBefore) {
                granted(System.nanoTime() - start, granted[1]);
            }
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public Condition newCondition() {
            return lock.newCondition();
        }

        @Override
        public String toString() {
            return lock.toString();
        }
    }
}
