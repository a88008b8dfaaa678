package io.github.idallocator.pool;

import io.github.idallocator.ReleaseOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A pool of named resources (proxies, accounts, licences) leased to many JVMs. A lease ({@link ResourceLease}) names its
 * resource, carries a fencing token that increases strictly per resource across holders, expires by Redis
 * server time unless renewed, and self-fences: {@link ResourceLease#isHeld()} turns false before Redis can give its
 * place to anyone else. Each operation is one atomic script on keys of one Redis Cluster slot; its cost grows with the
 * logarithm of the pool's size, never with the size itself.
 *
 * <p>Resources are added and removed at run time; in exclusive mode a resource takes one holder, in shared mode up to
 * {@link PoolConfig#maxHolders()}, least loaded first. Free resources are handed out lowest priority first, ties going
 * to the one released longest ago (to spread wear). Waiters are served highest waiter priority first, then first come
 * first served; a caller that does not wait gets a resource only when more are available than callers wait.
 *
 * <p>Names are 1 to 200 characters without braces, '|', whitespace or control characters; invalid input is rejected
 * with {@link io.github.idallocator.InvalidArgumentException} before Redis is touched. A Redis that cannot be reached
 * makes a call fail with {@link io.github.idallocator.RedisUnavailableException} within the client's command timeout,
 * also while waiting.
 */
public interface ResourcePool {

    /** The pool's name. */
    String name();

    /** The configuration. */
    PoolConfig config();

    /**
     * Adds {@code resource}, or changes the priority and metadata of the resource of that name (idempotent). A resource
     * being drained is taken back into service.
     *
     * @param priority {@value PoolConfig#MIN_PRIORITY} to {@value PoolConfig#MAX_PRIORITY}; lower is served first
     * @param metadata a text for the health check and operators (at most {@value PoolConfig#MAX_TEXT_LENGTH}
     *     characters), or null to keep what is stored
     * @return true when the resource was new
     */
    boolean add(String resource, int priority, @Nullable String metadata);

    /**
     * Takes {@code resource} out of the pool.
     *
     * @return false when the pool has no such resource
     */
    boolean remove(String resource, Removal removal);

    /**
     * Acquires a resource, waiting up to {@code waitTimeout} while none can take a holder.
     *
     * @param waitTimeout zero or more; zero makes one attempt
     * @return the lease, or empty when no resource could take this caller for the whole wait
     * @throws io.github.idallocator.RedisUnavailableException when Redis cannot be reached (retryable)
     * @throws io.github.idallocator.IdAllocatorException when the thread was interrupted while waiting (its interrupt
     *     flag is set again)
     */
    Optional<ResourceLease> tryAcquire(Duration waitTimeout, AcquireOptions options);

    /**
     * Extends {@code lease} to {@code leaseTime} from now (Redis server time), and makes it the lease time of its
     * background renewals.
     *
     * @return true when renewed; false when the lease had expired, was released or revoked ({@link
     *     ResourceLease#isHeld()} is false from then on)
     */
    boolean renew(ResourceLease lease, Duration leaseTime);

    /**
     * Ends {@code lease}; with an {@link Unhealthy} report, counts it towards the resource's quarantine. Idempotent: once
     * Redis answered, later calls return the same outcome without a Redis call.
     *
     * @param unhealthy the holder's report that the resource misbehaved, or null
     */
    ReleaseOutcome release(ResourceLease lease, @Nullable Unhealthy unhealthy);

    /**
     * Quarantines {@code resource} for {@code duration}: it is not handed out until then, or until a health check or
     * {@link #restore} restores it. Its holders keep their leases.
     *
     * @param reason why, for operators (at most {@value PoolConfig#MAX_TEXT_LENGTH} characters)
     * @return false when the pool has no such resource, or it is draining
     */
    boolean quarantine(String resource, Duration duration, String reason);

    /**
     * Ends the quarantine of {@code resource}.
     *
     * @return false when it was not quarantined
     */
    boolean restore(String resource);

    /** The resource {@code bindingName} is bound to, unless the binding expired or its resource was removed. */
    Optional<Binding> binding(String bindingName);

    /**
     * One page of the bindings, in no particular order.
     *
     * @param cursor null (or {@code "0"}) for the first page, else the cursor the previous page returned
     * @param count about how many per page (1 to 1000)
     */
    BindingPage bindings(@Nullable String cursor, int count);

    /**
     * Removes a binding.
     *
     * @return false when there was none
     */
    boolean unbind(String bindingName);

    /**
     * One page of the resources with the pool's totals and first waiters.
     *
     * @param cursor null (or {@code "0"}) for the first page, else {@link PoolSnapshot#nextCursor()} of the previous
     * @param count about how many resources per page (1 to 1000)
     */
    PoolSnapshot snapshot(@Nullable String cursor, int count);

    /** The leases of this instance that are held now (acquired, not released, not lost). */
    List<ResourceLease> heldLeases();

    /** Adds a listener for the events of this instance's leases and resource changes. */
    void addListener(PoolListener listener);

    /** Removes a listener added with {@link #addListener}. */
    void removeListener(PoolListener listener);

    /** Adds {@code resource} with priority 0 and no metadata, or leaves it as it is. */
    default boolean add(String resource) {
        return add(resource, PoolConfig.MIN_PRIORITY, null);
    }

    /** Acquires a resource if one can take a holder now, with the default options; never waits. */
    default Optional<ResourceLease> tryAcquire() {
        return tryAcquire(Duration.ZERO, AcquireOptions.defaults());
    }

    /** Acquires a resource if one can take a holder now; never waits. */
    default Optional<ResourceLease> tryAcquire(AcquireOptions options) {
        return tryAcquire(Duration.ZERO, options);
    }

    /**
     * Acquires a resource, waiting up to {@code waitTimeout}, with the default options.
     *
     * @throws PoolTimeoutException when none could take this caller for the whole wait
     */
    default ResourceLease acquire(Duration waitTimeout) {
        return acquire(waitTimeout, AcquireOptions.defaults());
    }

    /**
     * Acquires a resource, waiting up to {@code waitTimeout}.
     *
     * @throws PoolTimeoutException when none could take this caller for the whole wait
     */
    default ResourceLease acquire(Duration waitTimeout, AcquireOptions options) {
        return tryAcquire(waitTimeout, options).orElseThrow(() -> new PoolTimeoutException(name(), waitTimeout));
    }

    /** Ends {@code lease}; see {@link #release(ResourceLease, Unhealthy)}. */
    default ReleaseOutcome release(ResourceLease lease) {
        return release(lease, null);
    }

    /** The first page of {@link #snapshot(String, int)}, up to 100 resources. */
    default PoolSnapshot snapshot() {
        return snapshot(null, 100);
    }
}
