package io.github.idallocator.range;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdAllocator} that forwards every primitive to another one: the base of decorators (metrics, tracing, your
 * own), which override the primitives they add behaviour to. The conveniences ({@code allocate()}, {@code free(long)},
 * ...) are the interface's {@code default} methods, so they reach the decorator's primitives. It lives beside the
 * interface so that it gains every new primitive in the same release.
 */
public abstract class ForwardingIdAllocator implements IdAllocator {

    private final IdAllocator delegate;

    /**
     * Creates the decorator.
     *
     * @param delegate the allocator every call goes to
     */
    protected ForwardingIdAllocator(IdAllocator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The allocator every call goes to. */
    public final IdAllocator delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String instanceId() {
        return delegate.instanceId();
    }

    @Override
    public IdAllocatorConfig config() {
        return delegate.config();
    }

    @Override
    public List<Lease> allocate(int count, Duration ttl, @Nullable String note) {
        return delegate.allocate(count, ttl, note);
    }

    @Override
    public Lease allocateRange(int count, Duration ttl) {
        return delegate.allocateRange(count, ttl);
    }

    @Override
    public Optional<Lease> reserveRange(long first, long last, Duration ttl, @Nullable String note) {
        return delegate.reserveRange(first, last, ttl, note);
    }

    @Override
    public boolean free(Lease lease, @Nullable String note) {
        return delegate.free(lease, note);
    }

    @Override
    public int free(Collection<Lease> leases) {
        return delegate.free(leases);
    }

    @Override
    public boolean freeRange(long first, long last) {
        return delegate.freeRange(first, last);
    }

    @Override
    public boolean forceFree(long id) {
        return delegate.forceFree(id);
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl, @Nullable String note) {
        return delegate.extendTtl(lease, ttl, note);
    }

    @Override
    public Lease extendTtl(long id, Duration ttl) {
        return delegate.extendTtl(id, ttl);
    }

    @Override
    public Optional<Lease> leaseOf(long id) {
        return delegate.leaseOf(id);
    }

    @Override
    public LeasePage allocatedIds(String cursor, int pageSize) {
        return delegate.allocatedIds(cursor, pageSize);
    }

    @Override
    public AllocatorStats stats() {
        return delegate.stats();
    }

    @Override
    public Occupancy occupancy(int maxCells) {
        return delegate.occupancy(maxCells);
    }

    @Override
    public long cleanupExpired() {
        return delegate.cleanupExpired();
    }

    @Override
    public void clearAll() {
        delegate.clearAll();
    }

    @Override
    public Optional<CreatorElection> creatorElection() {
        return delegate.creatorElection();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
