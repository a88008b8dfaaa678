package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.pool.ForwardingResourcePool;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceInfo;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One pool in the {@code idallocator} endpoint: this instance's configuration, role and held leases (no Redis call),
 * and the pool's totals, first page of resources and first waiters as Redis holds them (one read). Times are ISO-8601
 * instants by Redis server time, durations ISO-8601 durations.
 *
 * @param name the pool's name
 * @param instanceId this instance's id, which starts the owner id of its leases; {@code null} for a pool that is not a
 *     {@code RedisResourcePool}
 * @param role this instance's role: {@code CREATOR} (it runs the pool's maintenance and health check) or {@code
 *     CONSUMER}; {@code null} for a pool that is not a {@code RedisResourcePool}
 * @param configuration this instance's configuration of the pool
 * @param held the leases this instance holds now, by resource
 * @param readAt Redis server time of the read; {@code null} when Redis could not be read
 * @param totals the pool's counts; {@code null} when Redis could not be read
 * @param resources the first page of resources (up to {@value #PAGE}), by name; {@code null} when Redis could not be
 *     read
 * @param nextCursor the cursor of the next page ({@code ResourcePool.snapshot(cursor, count)}); {@code null} after the
 *     last page
 * @param waiters the first waiters, in the order they will be served; {@code null} when Redis could not be read
 * @param error why Redis could not be read; {@code null} when it was
 */
public record PoolDescriptor(
        String name,
        @Nullable String instanceId,
        @Nullable String role,
        PoolConfigurationDescriptor configuration,
        List<HeldLeaseDescriptor> held,
        @Nullable String readAt,
        PoolSnapshot.@Nullable Totals totals,
        @Nullable List<ResourceDescriptor> resources,
        @Nullable String nextCursor,
        @Nullable List<WaiterDescriptor> waiters,
        @Nullable String error) {

    /** How many resources the endpoint shows per pool: {@value}. */
    public static final int PAGE = 100;

    static PoolDescriptor of(ResourcePool pool) {
        RedisResourcePool redis = undecorated(pool);
        List<HeldLeaseDescriptor> held = pool.heldLeases().stream()
                .map(HeldLeaseDescriptor::of)
                .sorted(Comparator.comparing(HeldLeaseDescriptor::resource)
                        .thenComparing(HeldLeaseDescriptor::fencingToken))
                .toList();
        PoolSnapshot snapshot;
        try {
            snapshot = pool.snapshot(null, PAGE);
        } catch (IdAllocatorException e) {
            return new PoolDescriptor(
                    pool.name(),
                    redis == null ? null : redis.instanceId(),
                    role(redis),
                    PoolConfigurationDescriptor.of(pool.config()),
                    held,
                    null,
                    null,
                    null,
                    null,
                    null,
                    e.getMessage());
        }
        return new PoolDescriptor(
                pool.name(),
                redis == null ? null : redis.instanceId(),
                role(redis),
                PoolConfigurationDescriptor.of(pool.config()),
                held,
                snapshot.readAt().toString(),
                snapshot.totals(),
                snapshot.resources().stream()
                        .map(ResourceDescriptor::of)
                        .sorted(Comparator.comparing(ResourceDescriptor::name))
                        .toList(),
                snapshot.nextCursor(),
                snapshot.waiters().stream().map(WaiterDescriptor::of).toList(),
                null);
    }

    /** The Redis pool under the decorators, if it is one. */
    private static @Nullable RedisResourcePool undecorated(ResourcePool pool) {
        ResourcePool inner = pool;
        while (inner instanceof ForwardingResourcePool forwarding) {
            inner = forwarding.delegate();
        }
        return inner instanceof RedisResourcePool redis ? redis : null;
    }

    private static @Nullable String role(@Nullable RedisResourcePool pool) {
        return pool == null ? null : pool.isCreator() ? "CREATOR" : "CONSUMER";
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * This instance's configuration of the pool; durations are ISO-8601.
     *
     * @param keyPrefix first part of the pool's keys
     * @param maxHolders holders per resource (1: exclusive)
     * @param leaseTime the default lease time
     * @param autoRenew whether leases are renewed in the background by default
     * @param bindingTtl how long a soft binding lives after it was last used
     * @param waitPollBound the longest a waiter sleeps between two attempts
     * @param unhealthyThreshold unhealthy releases within unhealthyWindow that quarantine a resource
     * @param unhealthyWindow the window of unhealthy releases
     * @param maintenanceInterval how often the creator collects expired state and runs the health check
     * @param healthCheckTimeout the longest one health check may take
     */
    public record PoolConfigurationDescriptor(
            String keyPrefix,
            int maxHolders,
            String leaseTime,
            boolean autoRenew,
            String bindingTtl,
            String waitPollBound,
            int unhealthyThreshold,
            String unhealthyWindow,
            String maintenanceInterval,
            String healthCheckTimeout) {

        static PoolConfigurationDescriptor of(PoolConfig config) {
            return new PoolConfigurationDescriptor(
                    config.keyPrefix(),
                    config.maxHolders(),
                    config.leaseTime().toString(),
                    config.autoRenew(),
                    config.bindingTtl().toString(),
                    config.waitPollBound().toString(),
                    config.unhealthyThreshold(),
                    config.unhealthyWindow().toString(),
                    config.maintenanceInterval().toString(),
                    config.healthCheckTimeout().toString());
        }
    }

    /**
     * One resource as Redis holds it.
     *
     * @param name the resource's name
     * @param state {@code ACTIVE}, {@code DRAINING} or {@code QUARANTINED}
     * @param priority its priority (lower is served first)
     * @param holders its current leases, of all instances
     * @param maxHolders how many holders it takes at a time
     * @param quarantinedUntil when its quarantine ends; {@code null} unless quarantined
     * @param quarantineReason why it was quarantined; {@code null} unless quarantined
     * @param metadata what it was added with ({@code ""} when none)
     * @param lastReleased when a holder last released it; {@code null} when never
     */
    public record ResourceDescriptor(
            String name,
            String state,
            int priority,
            List<HolderDescriptor> holders,
            int maxHolders,
            @Nullable String quarantinedUntil,
            @Nullable String quarantineReason,
            String metadata,
            @Nullable String lastReleased) {

        static ResourceDescriptor of(ResourceInfo info) {
            return new ResourceDescriptor(
                    info.name(),
                    info.state().name(),
                    info.priority(),
                    info.holders().stream()
                            .map(holder -> new HolderDescriptor(
                                    holder.owner(),
                                    holder.fencingToken(),
                                    holder.expiresAt().toString()))
                            .toList(),
                    info.maxHolders(),
                    text(info.quarantinedUntil()),
                    info.quarantineReason(),
                    info.metadata(),
                    text(info.lastReleased()));
        }
    }

    /**
     * A lease of a resource, held by any instance.
     *
     * @param owner the lease's owner id (the holder's instance id, a colon, a counter)
     * @param fencingToken its fencing token
     * @param expiresAt when it expires unless renewed
     */
    public record HolderDescriptor(String owner, long fencingToken, String expiresAt) {}

    /**
     * A caller waiting for a resource, on any instance.
     *
     * @param ticket its ticket (the owner id of its acquisition)
     * @param priority its waiter priority (higher is served first)
     * @param expiresAt when its ticket ends unless the waiter tries again
     */
    public record WaiterDescriptor(String ticket, int priority, String expiresAt) {

        static WaiterDescriptor of(PoolSnapshot.Waiter waiter) {
            return new WaiterDescriptor(
                    waiter.ticket(), waiter.priority(), waiter.expiresAt().toString());
        }
    }

    /**
     * A lease this instance holds.
     *
     * @param resource the resource's name
     * @param owner the lease's owner id
     * @param fencingToken its fencing token
     * @param expiresAt when Redis expires it unless renewed, as of its last grant or renewal
     * @param remainingMillis milliseconds until its local deadline, unless renewed meanwhile
     * @param autoRenew whether it is renewed in the background
     * @param boundHit whether the acquisition asked for a binding and got the resource bound to it
     */
    public record HeldLeaseDescriptor(
            String resource,
            String owner,
            long fencingToken,
            String expiresAt,
            long remainingMillis,
            boolean autoRenew,
            boolean boundHit) {

        static HeldLeaseDescriptor of(ResourceLease lease) {
            return new HeldLeaseDescriptor(
                    lease.resource(),
                    lease.owner(),
                    lease.fencingToken(),
                    lease.expiresAt().toString(),
                    lease.remaining().toMillis(),
                    lease.autoRenew(),
                    lease.boundHit());
        }
    }
}
