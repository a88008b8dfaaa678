package io.github.idallocator.pool;

import io.github.idallocator.ReleaseOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResourcePool} that forwards every primitive to another one: the base of decorators (metrics, tracing, your
 * own), which override the primitives they add behaviour to. The conveniences ({@code acquire}, {@code tryAcquire()},
 * {@code release(lease)}, ...) are the interface's {@code default} methods, so they reach the decorator's primitives.
 * It lives beside the interface so that it gains every new primitive in the same release.
 *
 * <p>A lease acquired through {@link #tryAcquire(Duration, AcquireOptions)} is routed through this decorator: its own
 * {@link ResourceLease#renew()} and {@link ResourceLease#release()} call this decorator's {@code renew} and {@code
 * release}, so a decorator sees every release, also those made on the lease. A decorator that overrides {@code
 * tryAcquire} calls {@code super.tryAcquire} to keep that; with nested decorators the outermost one is called.
 */
public abstract class ForwardingResourcePool implements ResourcePool {

    private final ResourcePool delegate;

    /**
     * Creates the decorator.
     *
     * @param delegate the pool every call goes to
     */
    protected ForwardingResourcePool(ResourcePool delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The pool every call goes to. */
    public final ResourcePool delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public PoolConfig config() {
        return delegate.config();
    }

    @Override
    public boolean add(String resource, int priority, @Nullable String metadata) {
        return delegate.add(resource, priority, metadata);
    }

    @Override
    public boolean remove(String resource, Removal removal) {
        return delegate.remove(resource, removal);
    }

    /** Forwards, and routes the lease's own renewals and releases through this decorator. */
    @Override
    public Optional<ResourceLease> tryAcquire(Duration waitTimeout, AcquireOptions options) {
        Optional<ResourceLease> lease = delegate.tryAcquire(waitTimeout, options);
        lease.ifPresent(granted -> granted.routeThrough(this));
        return lease;
    }

    @Override
    public boolean renew(ResourceLease lease, Duration leaseTime) {
        return delegate.renew(lease, leaseTime);
    }

    @Override
    public ReleaseOutcome release(ResourceLease lease, @Nullable Unhealthy unhealthy) {
        return delegate.release(lease, unhealthy);
    }

    @Override
    public boolean quarantine(String resource, Duration duration, String reason) {
        return delegate.quarantine(resource, duration, reason);
    }

    @Override
    public boolean restore(String resource) {
        return delegate.restore(resource);
    }

    @Override
    public Optional<Binding> binding(String bindingName) {
        return delegate.binding(bindingName);
    }

    @Override
    public BindingPage bindings(@Nullable String cursor, int count) {
        return delegate.bindings(cursor, count);
    }

    @Override
    public boolean unbind(String bindingName) {
        return delegate.unbind(bindingName);
    }

    @Override
    public PoolSnapshot snapshot(@Nullable String cursor, int count) {
        return delegate.snapshot(cursor, count);
    }

    @Override
    public List<ResourceLease> heldLeases() {
        return delegate.heldLeases();
    }

    @Override
    public void addListener(PoolListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(PoolListener listener) {
        delegate.removeListener(listener);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
