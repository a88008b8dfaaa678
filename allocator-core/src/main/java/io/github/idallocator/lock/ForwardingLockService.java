package io.github.idallocator.lock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * A {@link LockService} that forwards every primitive to another one: the base of decorators (metrics, tracing, your
 * own), which override the primitives they add behaviour to. The conveniences ({@code acquire}, {@code tryAcquire(name)},
 * ...) are the interface's {@code default} methods, so they reach the decorator's primitives. It lives beside the
 * interface so that it gains every new primitive in the same release.
 */
public abstract class ForwardingLockService implements LockService {

    private final LockService delegate;

    /**
     * Creates the decorator.
     *
     * @param delegate the service every call goes to
     */
    protected ForwardingLockService(LockService delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The service every call goes to. */
    public final LockService delegate() {
        return delegate;
    }

    @Override
    public Optional<LockLease> tryAcquire(String name, Duration waitTimeout, Duration leaseTime) {
        return delegate.tryAcquire(name, waitTimeout, leaseTime);
    }

    @Override
    public Lock asLock(String name) {
        return delegate.asLock(name);
    }

    @Override
    public List<LockLease> heldLocks() {
        return delegate.heldLocks();
    }

    @Override
    public LockConfig config() {
        return delegate.config();
    }

    @Override
    public void addListener(LockListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(LockListener listener) {
        delegate.removeListener(listener);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
