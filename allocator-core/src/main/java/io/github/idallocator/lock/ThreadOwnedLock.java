package io.github.idallocator.lock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * {@link LockService#asLock(String)}: a {@link Lock} owned by the thread that locked it, re-entered without a Redis
 * call. The holds of one lock name are shared by every {@code ThreadOwnedLock} of the service ({@link
 * RedisLockService#holds()}).
 */
final class ThreadOwnedLock implements Lock {

    private final RedisLockService service;
    private final String name;

    ThreadOwnedLock(RedisLockService service, String name) {
        this.service = service;
        this.name = name;
    }

    /** One thread's hold of a lock: its lease and how many times the thread entered it. */
    static final class Hold {
        final Thread thread;
        final LockLease lease;
        int count = 1;

        Hold(Thread thread, LockLease lease) {
            this.thread = thread;
            this.lease = lease;
        }
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (enter(-1)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        enter(-1);
    }

    @Override
    public boolean tryLock() {
        try {
            return enter(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return enter(Math.max(0, unit.toNanos(time)));
    }

    /**
     * Re-enters the current thread's hold, or acquires the lock in Redis waiting up to {@code waitNanos} (negative:
     * without limit).
     */
    private boolean enter(long waitNanos) throws InterruptedException {
        Thread current = Thread.currentThread();
        Hold hold = service.holds().get(name);
        if (hold != null && hold.thread == current) {
            if (!hold.lease.isHeld()) {
                throw new LockLostException("Lock '" + name + "' of namespace '"
                        + service.config().namespace()
                        + "' was re-entered by " + current.getName() + ", but its lease (token "
                        + hold.lease.fencingToken() + ") was lost: another owner may hold it. Unlock it as often as "
                        + "it was locked, then lock it again");
            }
            hold.count++;
            return true;
        }
        LockLease lease =
                service.attempt(name, waitNanos, service.config().leaseTime().toMillis(), current);
        if (lease == null) {
            return false;
        }
        service.holds().put(name, new Hold(current, lease));
        return true;
    }

    /**
     * Leaves the current thread's hold; the last unlock releases the lease. An unlock after the lease was lost ends the
     * hold without an exception (the service reported the loss with a {@link LockEvent.Type#LOST} event).
     *
     * @throws IllegalMonitorStateException when the current thread does not hold this lock
     */
    @Override
    public void unlock() {
        Hold hold = service.holds().get(name);
        if (hold == null || hold.thread != Thread.currentThread()) {
            throw new IllegalMonitorStateException("Lock '" + name + "' of namespace '"
                    + service.config().namespace()
                    + "' is not held by thread " + Thread.currentThread().getName()
                    + "; a Lock from asLock is owned by the thread that locked it (use LockService.acquire for a "
                    + "lease any thread may release)");
        }
        if (--hold.count > 0) {
            return;
        }
        service.holds().remove(name, hold);
        hold.lease.release();
    }

    /** Not supported: conditions would need the lock's state to move between JVMs. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("Conditions are not supported by distributed locks");
    }

    @Override
    public String toString() {
        return "Lock[" + service.config().namespace() + "/" + name + "]";
    }
}
