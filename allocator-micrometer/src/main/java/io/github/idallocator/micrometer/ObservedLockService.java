package io.github.idallocator.micrometer;

import io.github.idallocator.lock.ForwardingLockService;
import io.github.idallocator.lock.LockConfig;
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
import org.jspecify.annotations.Nullable;

/**
 * Times the acquisitions of a {@link LockService}: the timer {@value #ACQUIRE} (every acquisition, from the call to its
 * result, waiting included) and the timer {@value #WAIT} (only acquisitions that found the lock held and waited: the
 * time from that first refusal to the result), both tagged {@code namespace} and {@code outcome}: {@code acquired},
 * {@code timeout} (held by others for the whole wait, or at once for a call that does not wait) or {@code error} (an
 * exception: Redis unreachable, replicas not confirming, invalid input, an interrupt).
 *
 * <p>An acquisition that may wait first tries once without waiting, then, when the lock is held, waits through the
 * wrapped service for the rest of its wait timeout (the wait starts with one more attempt): so a contended acquisition
 * costs one script call more than without this wrapper, and an uncontended one none. {@code Lock}s from {@link
 * #asLock(String)} are timed the same way, except a re-entry by the holding thread, which acquires nothing in Redis
 * and is not timed. Leases, {@code Lock}s, {@link #heldLocks()}, the configuration and the listeners are those of the
 * wrapped service: a lease acquired through this wrapper is released, renewed and lost exactly as one acquired
 * without it.
 *
 * <p>Wrap a service with {@link #decorate(LockService, MeterRegistry)} and use the wrapper in its place; the Spring
 * Boot starter does so for its {@code LockService} bean. The held gauge and the lost counter come from {@link
 * LockMeterBinder}.
 */
public final class ObservedLockService extends ForwardingLockService {

    /** Timer of every acquisition; tags {@code namespace}, {@code outcome}. */
    public static final String ACQUIRE = "idallocator.lock.acquire";

    /** Timer of the waiting of acquisitions that found the lock held; tags {@code namespace}, {@code outcome}. */
    public static final String WAIT = "idallocator.lock.wait";

    private static final long NO_WAIT = Long.MIN_VALUE;

    private final Outcomes acquisitions;
    private final Outcomes waits;

    /** Acquisitions granted on each thread (ACQUIRED events come on the acquiring thread): tells a re-entry apart. */
    private final ThreadLocal<long[]> grantedOnThisThread = ThreadLocal.withInitial(() -> new long[1]);

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
        this.waits = new Outcomes(
                meters, WAIT, "Time lock acquisitions waited after finding the lock held, by outcome", namespace);
        LockListener granted = event -> {
            if (event.type() == LockEvent.Type.ACQUIRED) {
                grantedOnThisThread.get()[0]++;
            }
        };
        delegate.addListener(granted);
    }

    @Override
    public Optional<LockLease> tryAcquire(String name, Duration waitTimeout, Duration leaseTime) {
        long start = System.nanoTime();
        long waitStart = NO_WAIT;
        try {
            Optional<LockLease> lease;
            if (!waitsAtAll(waitTimeout)) {
                // the wrapped service checks the wait timeout and makes its one attempt
                lease = delegate().tryAcquire(name, waitTimeout, leaseTime);
            } else {
                lease = delegate().tryAcquire(name, Duration.ZERO, leaseTime);
                if (lease.isEmpty()) {
                    waitStart = System.nanoTime();
                    Duration left = waitTimeout.minusNanos(waitStart - start);
                    if (left.isNegative() || left.isZero()) {
                        waitStart = NO_WAIT;
                    } else {
                        lease = delegate().tryAcquire(name, left, leaseTime);
                    }
                }
            }
            record(start, waitStart, lease.isPresent() ? Outcome.ACQUIRED : Outcome.TIMEOUT);
            return lease;
        } catch (RuntimeException e) {
            record(start, waitStart, Outcome.ERROR);
            throw e;
        }
    }

    /**
     * Whether an acquisition with this wait timeout is split into a first attempt and a wait: only for a positive wait
     * the wrapped service accepts (a longer one is passed on as it is, so that the service rejects it before Redis).
     */
    private static boolean waitsAtAll(@Nullable Duration waitTimeout) {
        return waitTimeout != null
                && !waitTimeout.isNegative()
                && !waitTimeout.isZero()
                && waitTimeout.compareTo(LockConfig.MAX_WAIT_TIMEOUT) <= 0;
    }

    @Override
    public Lock asLock(String name) {
        return new ObservedLock(delegate().asLock(name));
    }

    private void record(long start, long waitStart, Outcome outcome) {
        long end = System.nanoTime();
        acquisitions.timer(outcome).record(end - start, TimeUnit.NANOSECONDS);
        if (waitStart != NO_WAIT) {
            waits.timer(outcome).record(end - waitStart, TimeUnit.NANOSECONDS);
        }
    }

    private long grantedSoFar() {
        return grantedOnThisThread.get()[0];
    }

    /** What an acquisition came to. */
    private enum Outcome {
        ACQUIRED("acquired"),
        TIMEOUT("timeout"),
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
     * A {@code Lock} of the wrapped service whose acquisitions are timed like {@link #tryAcquire}: one attempt without
     * waiting, then the wait. A call that only re-entered the current thread's hold (no ACQUIRED event on this thread
     * during the call) is not timed.
     */
    private final class ObservedLock implements Lock {

        private final Lock lock;

        ObservedLock(Lock lock) {
            this.lock = lock;
        }

        @Override
        public void lock() {
            long start = System.nanoTime();
            long granted = grantedSoFar();
            long waitStart = NO_WAIT;
            try {
                if (!lock.tryLock()) {
                    waitStart = System.nanoTime();
                    lock.lock();
                }
                entered(start, granted, waitStart);
            } catch (RuntimeException e) {
                record(start, waitStart, Outcome.ERROR);
                throw e;
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long start = System.nanoTime();
            long granted = grantedSoFar();
            long waitStart = NO_WAIT;
            try {
                if (!lock.tryLock()) {
                    waitStart = System.nanoTime();
                    lock.lockInterruptibly();
                }
                entered(start, granted, waitStart);
            } catch (RuntimeException | InterruptedException e) {
                record(start, waitStart, Outcome.ERROR);
                throw e;
            }
        }

        @Override
        public boolean tryLock() {
            long start = System.nanoTime();
            long granted = grantedSoFar();
            try {
                boolean entered = lock.tryLock();
                if (entered) {
                    entered(start, granted, NO_WAIT);
                } else {
                    record(start, NO_WAIT, Outcome.TIMEOUT);
                }
                return entered;
            } catch (RuntimeException e) {
                record(start, NO_WAIT, Outcome.ERROR);
                throw e;
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long start = System.nanoTime();
            long granted = grantedSoFar();
            long waitStart = NO_WAIT;
            try {
                boolean entered = lock.tryLock();
                if (!entered) {
                    long left = unit.toNanos(time) - (System.nanoTime() - start);
                    if (left > 0) {
                        waitStart = System.nanoTime();
                        entered = lock.tryLock(left, TimeUnit.NANOSECONDS);
                    }
                }
                if (entered) {
                    entered(start, granted, waitStart);
                } else {
                    record(start, waitStart, Outcome.TIMEOUT);
                }
                return entered;
            } catch (RuntimeException | InterruptedException e) {
                record(start, waitStart, Outcome.ERROR);
                throw e;
            }
        }

        /** Times an entry unless it was a re-entry: no lease was granted on this thread during the call. */
        private void entered(long start, long grantedBefore, long waitStart) {
            if (grantedSoFar() != grantedBefore) {
                record(start, waitStart, Outcome.ACQUIRED);
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
