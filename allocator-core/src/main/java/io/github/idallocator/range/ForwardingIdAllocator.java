package io.github.idallocator.range;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link IdAllocator} that forwards every call to another one: the base of decorators (metrics, tracing, your own),
 * which override the calls they add behaviour to. It lives beside the interface so that it gains every new method in
 * the same release.
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
    public Lease allocate() {
        return delegate.allocate();
    }

    @Override
    public Lease allocate(Duration ttl) {
        return delegate.allocate(ttl);
    }

    @Override
    public Lease allocate(Duration ttl, String note) {
        return delegate.allocate(ttl, note);
    }

    @Override
    public List<Lease> allocate(int count) {
        return delegate.allocate(count);
    }

    @Override
    public List<Lease> allocate(int count, Duration ttl) {
        return delegate.allocate(count, ttl);
    }

    @Override
    public Lease allocateRange(int count) {
        return delegate.allocateRange(count);
    }

    @Override
    public Lease allocateRange(int count, Duration ttl) {
        return delegate.allocateRange(count, ttl);
    }

    @Override
    public Optional<Lease> reserve(long id) {
        return delegate.reserve(id);
    }

    @Override
    public Optional<Lease> reserve(long id, Duration ttl) {
        return delegate.reserve(id, ttl);
    }

    @Override
    public Optional<Lease> reserve(long id, Duration ttl, String note) {
        return delegate.reserve(id, ttl, note);
    }

    @Override
    public Optional<Lease> reserveRange(long first, long last) {
        return delegate.reserveRange(first, last);
    }

    @Override
    public Optional<Lease> reserveRange(long first, long last, Duration ttl) {
        return delegate.reserveRange(first, last, ttl);
    }

    @Override
    public boolean free(long id) {
        return delegate.free(id);
    }

    @Override
    public boolean free(Lease lease) {
        return delegate.free(lease);
    }

    @Override
    public boolean free(Lease lease, String note) {
        return delegate.free(lease, note);
    }

    @Override
    public boolean freeRange(long first, long last) {
        return delegate.freeRange(first, last);
    }

    @Override
    public long freeAllOwned() {
        return delegate.freeAllOwned();
    }

    @Override
    public boolean forceFree(long id) {
        return delegate.forceFree(id);
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl) {
        return delegate.extendTtl(lease, ttl);
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl, String note) {
        return delegate.extendTtl(lease, ttl, note);
    }

    @Override
    public Lease extendTtl(long id, Duration ttl) {
        return delegate.extendTtl(id, ttl);
    }

    @Override
    public boolean isAllocated(long id) {
        return delegate.isAllocated(id);
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
    public long cleanupExpired() {
        return delegate.cleanupExpired();
    }

    @Override
    public void clearAll() {
        delegate.clearAll();
    }

    @Override
    public Role role() {
        return delegate.role();
    }

    @Override
    public Role heartbeat() {
        return delegate.heartbeat();
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        delegate.addRoleListener(listener);
    }

    @Override
    public void releaseCreatorRole() {
        delegate.releaseCreatorRole();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
