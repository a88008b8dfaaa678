package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotCreatorException;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.LeasePage;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.sequence.SequenceStats;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.LockLosses;
import io.github.idallocator.spring.ResourcePools;
import io.github.idallocator.spring.SequenceAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint.SnowflakeDescriptor;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code idallocator} endpoint: every allocator with its stats, this instance's role, the creator and the
 * configuration; the Snowflake generator; every sequence; the lock service with the locks this instance holds; every
 * pool with its totals, first resources and waiters and the leases this instance holds; every task queue with its
 * counts.
 *
 * <ul>
 *   <li>{@code GET /actuator/idallocator}: all allocators, the Snowflake generator (when enabled), all sequences, the
 *       locks (when there is a lock service), all pools and all task queues;
 *   <li>{@code GET /actuator/idallocator/{name}}: the allocator of that name, else the sequence, else the pool, else
 *       the task queue (404 when nothing has the name);
 *   <li>{@code GET /actuator/idallocator/{kind}/{name}}: one allocator, sequence, pool or task queue, {@code kind}
 *       being {@code allocators}, {@code sequences}, {@code pools} or {@code tasks} (with the queue's first dead
 *       tasks); or an allocator's {@code occupancy} picture, or one page of its {@code leases} ({@code
 *       ?cursor=0&count=50});
 *   <li>{@code POST /actuator/idallocator/{name}}: run the cleanup of expired leases now (on the creator instance);
 *   <li>{@code DELETE /actuator/idallocator/{name}/{id}}: force-free the lease that starts at {@code id}, whoever holds
 *       it.
 * </ul>
 *
 * <p>Read-only by default: the two write operations are not reachable until the operator sets {@code
 * management.endpoint.idallocator.access=unrestricted}. Snowflake ids are decoded by the {@link SnowflakeEndpoint
 * snowflake} endpoint: every name under this one may be an allocator's.
 */
@Endpoint(id = "idallocator", defaultAccess = Access.READ_ONLY)
public class IdAllocatorEndpoint {

    /** The most leases one page of {@link #leases} reads. */
    public static final int MAX_LEASES_PER_PAGE = 500;

    /** Up to this many ids, an occupancy picture has one cell per id. */
    public static final int EXACT_CELLS = 65_536;

    /** The cells of the occupancy picture of a larger range (each read with one BITCOUNT). */
    public static final int SAMPLED_CELLS = 1_024;

    private final IdAllocators allocators;
    private final @Nullable IdAllocatorLifecycle lifecycle;
    private final Set<String> releaseOnShutdown;
    private final @Nullable SnowflakeWorker snowflake;
    private final SequenceAllocators sequences;
    private final @Nullable LockService locks;
    private final @Nullable LockLosses lockLosses;
    private final ResourcePools pools;
    private final TaskQueueDescriptors tasks;

    /**
     * Creates the endpoint for allocators only.
     *
     * @param allocators the allocators to show
     * @param lifecycle the heartbeats of this instance, for the age of its last heartbeat; {@code null} if none run
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     */
    public IdAllocatorEndpoint(
            IdAllocators allocators, @Nullable IdAllocatorLifecycle lifecycle, Set<String> releaseOnShutdown) {
        this(allocators, lifecycle, releaseOnShutdown, null, new SequenceAllocators(List.of()));
    }

    /**
     * Creates the endpoint.
     *
     * @param allocators the allocators to show
     * @param lifecycle the heartbeats of this instance, for the age of its last heartbeat; {@code null} if none run
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake generator and its worker-id lease; {@code null} without one
     * @param sequences the sequences to show
     */
    public IdAllocatorEndpoint(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            Set<String> releaseOnShutdown,
            @Nullable SnowflakeWorker snowflake,
            SequenceAllocators sequences) {
        this(allocators, lifecycle, releaseOnShutdown, snowflake, sequences, null, null);
    }

    /**
     * Creates the endpoint with the locks.
     *
     * @param allocators the allocators to show
     * @param lifecycle the heartbeats of this instance, for the age of its last heartbeat; {@code null} if none run
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake generator and its worker-id lease; {@code null} without one
     * @param sequences the sequences to show
     * @param locks the lock service whose held locks to show; {@code null} without one
     * @param lockLosses the leases the lock service lost; {@code null} when they are not recorded
     */
    public IdAllocatorEndpoint(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            Set<String> releaseOnShutdown,
            @Nullable SnowflakeWorker snowflake,
            SequenceAllocators sequences,
            @Nullable LockService locks,
            @Nullable LockLosses lockLosses) {
        this(
                allocators,
                lifecycle,
                releaseOnShutdown,
                snowflake,
                sequences,
                locks,
                lockLosses,
                new ResourcePools(List.of()));
    }

    /**
     * Creates the endpoint with the locks and the pools.
     *
     * @param allocators the allocators to show
     * @param lifecycle the heartbeats of this instance, for the age of its last heartbeat; {@code null} if none run
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake generator and its worker-id lease; {@code null} without one
     * @param sequences the sequences to show
     * @param locks the lock service whose held locks to show; {@code null} without one
     * @param lockLosses the leases the lock service lost; {@code null} when they are not recorded
     * @param pools the pools to show
     */
    public IdAllocatorEndpoint(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            Set<String> releaseOnShutdown,
            @Nullable SnowflakeWorker snowflake,
            SequenceAllocators sequences,
            @Nullable LockService locks,
            @Nullable LockLosses lockLosses,
            ResourcePools pools) {
        this(
                allocators,
                lifecycle,
                releaseOnShutdown,
                snowflake,
                sequences,
                locks,
                lockLosses,
                pools,
                TaskQueueDescriptors.none());
    }

    /**
     * Creates the endpoint with the locks, the pools and the task queues.
     *
     * @param allocators the allocators to show
     * @param lifecycle the heartbeats of this instance, for the age of its last heartbeat; {@code null} if none run
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake generator and its worker-id lease; {@code null} without one
     * @param sequences the sequences to show
     * @param locks the lock service whose held locks to show; {@code null} without one
     * @param lockLosses the leases the lock service lost; {@code null} when they are not recorded
     * @param pools the pools to show
     * @param tasks the task queues to show
     */
    public IdAllocatorEndpoint(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            Set<String> releaseOnShutdown,
            @Nullable SnowflakeWorker snowflake,
            SequenceAllocators sequences,
            @Nullable LockService locks,
            @Nullable LockLosses lockLosses,
            ResourcePools pools,
            TaskQueueDescriptors tasks) {
        this.allocators = allocators;
        this.lifecycle = lifecycle;
        this.releaseOnShutdown = Set.copyOf(releaseOnShutdown);
        this.snowflake = snowflake;
        this.sequences = sequences;
        this.locks = locks;
        this.lockLosses = lockLosses;
        this.pools = pools;
        this.tasks = tasks;
    }

    /**
     * Every allocator, by name, the Snowflake generator, every sequence, by name, the locks and every pool, by name
     * (each pool read from Redis once).
     */
    @ReadOperation
    public AllocatorsDescriptor allocators() {
        Map<String, AllocatorDescriptor> all = new LinkedHashMap<>();
        for (IdAllocator allocator : allocators.withInternal()) {
            all.put(allocator.name(), describe(allocator));
        }
        Map<String, SequenceDescriptor> allSequences = new LinkedHashMap<>();
        for (SequenceAllocator sequence : sequences) {
            allSequences.put(sequence.name(), SequenceDescriptor.of(sequence));
        }
        Map<String, PoolDescriptor> allPools = new LinkedHashMap<>();
        for (ResourcePool pool : pools) {
            allPools.put(pool.name(), PoolDescriptor.of(pool));
        }
        return new AllocatorsDescriptor(
                all,
                snowflake == null ? null : SnowflakeDescriptor.of(snowflake),
                allSequences,
                locks == null ? null : LocksDescriptor.of(locks, lockLosses),
                allPools,
                tasks.all());
    }

    /**
     * What has this name: the allocator of that name, else the sequence, else the pool, else the task queue; {@code
     * null} (404) when nothing has it. An allocator and a sequence may share a name: {@link #named(String, String, String, Integer)} reaches each.
     */
    @ReadOperation
    public @Nullable Object named(@Selector String name) {
        AllocatorDescriptor allocator = allocator(name);
        if (allocator != null) {
            return allocator;
        }
        SequenceDescriptor sequence = sequence(name);
        if (sequence != null) {
            return sequence;
        }
        PoolDescriptor pool = pool(name);
        return pool != null ? pool : tasks.one(name);
    }

    /**
     * One allocator, sequence or pool by kind and name: {@code GET /actuator/idallocator/sequences/orders}; {@code
     * null} (404) for an unknown kind or name.
     *
     * @param kind {@code allocators}, {@code sequences}, {@code pools} or {@code tasks} (a task queue with its first
     *     dead tasks)
     * @param name the name
     */
    @ReadOperation
    public @Nullable Object named(
            @Selector String kind, @Selector String name, @Nullable String cursor, @Nullable Integer count) {
        return switch (kind) {
            case "allocators" -> allocator(name);
            case "sequences" -> sequence(name);
            case "pools" -> pool(name);
            case "tasks" -> tasks.one(name);
            case "occupancy" -> occupancy(name);
            case "leases" -> leases(name, cursor == null ? LeasePage.START : cursor, count == null ? 50 : count);
            default -> null;
        };
    }

    /**
     * One page of an allocator's leases (all instances'); {@code null} when there is no allocator of that name.
     *
     * @param name the allocator
     * @param cursor {@code "0"} for the first page, else the {@code nextCursor} of the page before
     * @param count how many leases to read at most, 1 to {@value #MAX_LEASES_PER_PAGE}
     */
    public @Nullable LeasePageDescriptor leases(String name, String cursor, int count) {
        if (count < 1 || count > MAX_LEASES_PER_PAGE) {
            String message = "count " + count + " must be 1 to " + MAX_LEASES_PER_PAGE;
            throw new InvalidEndpointRequestException(message, message);
        }
        IdAllocator allocator = find(name).orElse(null);
        if (allocator == null) {
            return null;
        }
        try {
            return LeasePageDescriptor.of(name, cursor, allocator.allocatedIds(cursor, count));
        } catch (InvalidArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
    }

    /**
     * The occupancy picture of an allocator: one cell per id for ranges of up to {@value #EXACT_CELLS} ids, else
     * {@value #SAMPLED_CELLS} cells; {@code null} when there is no allocator of that name.
     */
    public @Nullable OccupancyDescriptor occupancy(String name) {
        return find(name)
                .map(allocator -> {
                    int cells = allocator.config().size() <= EXACT_CELLS ? EXACT_CELLS : SAMPLED_CELLS;
                    return OccupancyDescriptor.of(name, allocator.occupancy(cells));
                })
                .orElse(null);
    }

    /** One allocator; {@code null} when there is none of that name. */
    public @Nullable AllocatorDescriptor allocator(String name) {
        return find(name).map(this::describe).orElse(null);
    }

    /** One sequence; {@code null} when there is none of that name. */
    public @Nullable SequenceDescriptor sequence(String name) {
        return sequences.find(name).map(SequenceDescriptor::of).orElse(null);
    }

    /** One pool, read from Redis; {@code null} when there is none of that name. */
    public @Nullable PoolDescriptor pool(String name) {
        return pools.find(name).map(PoolDescriptor::of).orElse(null);
    }

    /** Runs the cleanup of expired leases now; {@code null} (404) when there is no allocator of that name. */
    @WriteOperation
    public @Nullable CleanupDescriptor cleanup(@Selector String name) {
        IdAllocator allocator = find(name).orElse(null);
        if (allocator == null) {
            return null;
        }
        try {
            return new CleanupDescriptor(name, true, allocator.cleanupExpired(), null);
        } catch (NotCreatorException e) {
            return new CleanupDescriptor(name, false, 0, e.getMessage());
        }
    }

    /**
     * Ends the lease that starts at {@code id}, whoever holds it; {@code null} (404) for an unknown allocator, a bad
     * request for one of the starter's own ({@link IdAllocators#internal()}).
     */
    @DeleteOperation
    public @Nullable ForceFreeDescriptor forceFree(@Selector String name, @Selector long id) {
        if (allocators.isInternal(name)) {
            String message = "Allocator '" + name + "' is the starter's own: its leases are renewed and freed by the "
                    + "Snowflake generator, and force-freeing one would let two instances issue ids with the same "
                    + "worker id. A lease of a stopped instance expires by itself.";
            throw new InvalidEndpointRequestException(message, message);
        }
        IdAllocator allocator = allocators.find(name).orElse(null);
        if (allocator == null) {
            return null;
        }
        try {
            return new ForceFreeDescriptor(name, id, allocator.forceFree(id));
        } catch (InvalidArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
    }

    /** An allocator of the application or one of the starter's own, by name. */
    private Optional<IdAllocator> find(String name) {
        return allocators.withInternal().stream()
                .filter(allocator -> allocator.name().equals(name))
                .findFirst();
    }

    private AllocatorDescriptor describe(IdAllocator allocator) {
        IdAllocatorConfig config = allocator.config();
        ConfigurationDescriptor configuration = new ConfigurationDescriptor(
                config.keyPrefix(),
                config.minId(),
                config.maxId(),
                config.defaultTtl().toString(),
                config.reuseDelay().toString(),
                config.cleanupInterval().toString(),
                config.creatorTtl().toString(),
                config.heartbeatInterval().toString(),
                releaseOnShutdown.contains(allocator.name()) || isSnowflakeWorkers(allocator));
        String lastHeartbeat = lifecycle == null
                ? null
                : lifecycle
                        .sinceLastHeartbeat(allocator.name())
                        .map(Duration::toString)
                        .orElse(null);
        StatsDescriptor stats = null;
        String error = null;
        try {
            stats = StatsDescriptor.of(allocator.stats(), config);
        } catch (IdAllocatorException e) {
            error = e.getMessage();
        }
        return new AllocatorDescriptor(
                allocator.name(),
                allocator.instanceId(),
                CreatorElection.roleOf(allocator).name(),
                lastHeartbeat,
                stats,
                configuration,
                error);
    }

    /** Whether the allocator is the one the Snowflake worker id is leased from (and released to on shutdown). */
    private boolean isSnowflakeWorkers(IdAllocator allocator) {
        IdAllocator workers = snowflake == null ? null : snowflake.workerAllocator();
        return workers != null && workers.name().equals(allocator.name());
    }

    /**
     * Every allocator, the Snowflake generator, every sequence, the locks and every pool.
     *
     * @param allocators the allocators by name
     * @param snowflake the Snowflake generator; {@code null} when it is not enabled
     * @param sequences the sequences by name
     * @param locks the lock service; {@code null} without one
     * @param pools the pools by name
     * @param tasks the task queues by name, with their counts
     */
    public record AllocatorsDescriptor(
            Map<String, AllocatorDescriptor> allocators,
            @Nullable SnowflakeDescriptor snowflake,
            Map<String, SequenceDescriptor> sequences,
            @Nullable LocksDescriptor locks,
            Map<String, PoolDescriptor> pools,
            Map<String, TaskQueueDescriptor> tasks) {}

    /**
     * The lock service as this instance sees it (nothing is read from Redis): its configuration and the locks this
     * instance holds now.
     *
     * @param namespace the namespace of the locks
     * @param configuration this instance's configuration of the namespace
     * @param held the locks this instance holds now, by name
     * @param lost leases this instance lost since start-up; {@code null} when not recorded
     */
    public record LocksDescriptor(
            String namespace,
            LockConfigurationDescriptor configuration,
            List<HeldLockDescriptor> held,
            @Nullable Long lost) {

        static LocksDescriptor of(LockService locks, @Nullable LockLosses losses) {
            List<HeldLockDescriptor> held = locks.heldLocks().stream()
                    .map(HeldLockDescriptor::of)
                    .sorted(Comparator.comparing(HeldLockDescriptor::name))
                    .toList();
            return new LocksDescriptor(
                    locks.config().namespace(),
                    LockConfigurationDescriptor.of(locks.config()),
                    held,
                    losses == null ? null : losses.count());
        }
    }

    /**
     * One lock this instance holds.
     *
     * @param name the lock's name
     * @param owner the lease's owner id in Redis (this instance's id, a colon and a counter)
     * @param fencingToken the lease's fencing token
     * @param remainingMillis milliseconds until the lease's local deadline, unless renewed meanwhile (renewal runs
     *     every third of the lease time)
     */
    public record HeldLockDescriptor(String name, String owner, long fencingToken, long remainingMillis) {

        static HeldLockDescriptor of(LockLease lease) {
            return new HeldLockDescriptor(
                    lease.name(),
                    lease.owner(),
                    lease.fencingToken(),
                    lease.remaining().toMillis());
        }
    }

    /**
     * This instance's configuration of the lock namespace; durations are ISO-8601.
     *
     * @param keyPrefix first part of every lock key
     * @param leaseTime how long a lock is held without renewal
     * @param waitPollBound the longest a waiter sleeps between two attempts
     * @param tokenRetention how long a released lock keeps its fencing token in Redis
     * @param maxHoldTime the age at which a lease is no longer renewed (PT0S: no limit)
     * @param replicaAcks how many replicas must confirm each acquisition and renewal
     * @param replicaAckTimeout how long to wait for those confirmations
     */
    public record LockConfigurationDescriptor(
            String keyPrefix,
            String leaseTime,
            String waitPollBound,
            String tokenRetention,
            String maxHoldTime,
            int replicaAcks,
            String replicaAckTimeout) {

        static LockConfigurationDescriptor of(LockConfig config) {
            return new LockConfigurationDescriptor(
                    config.keyPrefix(),
                    config.leaseTime().toString(),
                    config.waitPollBound().toString(),
                    config.tokenRetention().toString(),
                    config.maxHoldTime().toString(),
                    config.replicaAcks(),
                    config.replicaAckTimeout().toString());
        }
    }

    /**
     * One sequence as this instance sees it: its counters are this instance's (nothing is read from Redis). Ids are
     * numbers up to 2^63 - 1.
     *
     * @param name the sequence's name
     * @param lastHandedOut the current position: the highest id this instance handed out (-1 before the first)
     * @param highWaterMark the highest id Redis granted to this instance (-1 before the first segment)
     * @param step the current segment size
     * @param segmentsFetched segments granted to this instance
     * @param reserved ids granted to this instance
     * @param handedOut ids this instance handed out
     * @param unused reserved minus handedOut: ids of the current (and prefetched) segment not handed out yet, lost when
     *     the instance stops
     * @param repairs times Redis was found below this instance's floor and moved up
     * @param lastRefillLatency duration of the last Redis call that granted a segment (ISO-8601)
     * @param configuration this instance's configuration of the sequence
     */
    public record SequenceDescriptor(
            String name,
            long lastHandedOut,
            long highWaterMark,
            int step,
            long segmentsFetched,
            long reserved,
            long handedOut,
            long unused,
            long repairs,
            String lastRefillLatency,
            SequenceConfigurationDescriptor configuration) {

        static SequenceDescriptor of(SequenceAllocator sequence) {
            SequenceStats stats = sequence.stats();
            return new SequenceDescriptor(
                    sequence.name(),
                    stats.lastHandedOut(),
                    stats.highWaterMark(),
                    stats.step(),
                    stats.segmentsFetched(),
                    stats.reserved(),
                    stats.handedOut(),
                    stats.reserved() - stats.handedOut(),
                    stats.repairs(),
                    stats.lastRefillLatency().toString(),
                    SequenceConfigurationDescriptor.of(sequence.config()));
        }
    }

    /**
     * This instance's configuration of one sequence.
     *
     * @param keyPrefix first part of the sequence's Redis key
     * @param step ids per segment, the smallest adaptive step
     * @param maxStep the largest adaptive step
     * @param prefetchThreshold share of a segment left when the next one is fetched
     * @param initialValue first id of a sequence not yet in Redis
     * @param floor lowest id ever handed out
     * @param strict whether every id comes from Redis
     * @param repairGap added to the high-water mark when Redis lost the counter
     */
    public record SequenceConfigurationDescriptor(
            String keyPrefix,
            int step,
            int maxStep,
            double prefetchThreshold,
            long initialValue,
            long floor,
            boolean strict,
            long repairGap) {

        static SequenceConfigurationDescriptor of(SequenceConfig config) {
            return new SequenceConfigurationDescriptor(
                    config.keyPrefix(),
                    config.step(),
                    config.maxStep(),
                    config.prefetchThreshold(),
                    config.initialValue(),
                    config.floor(),
                    config.strict(),
                    config.repairGap());
        }
    }

    /**
     * One allocator as this instance sees it.
     *
     * @param name the allocator's name
     * @param instanceId this instance's id
     * @param role this instance's role: {@code CREATOR} or {@code CONSUMER}
     * @param lastHeartbeat how long ago this instance's last successful heartbeat was (ISO-8601 duration)
     * @param stats the allocator's counters read from Redis; {@code null} when Redis could not be read
     * @param configuration this instance's configuration of the allocator
     * @param error why the stats could not be read; {@code null} when they were
     */
    public record AllocatorDescriptor(
            String name,
            String instanceId,
            String role,
            @Nullable String lastHeartbeat,
            @Nullable StatsDescriptor stats,
            ConfigurationDescriptor configuration,
            @Nullable String error) {}

    /**
     * The counters of one allocator, read in one consistent snapshot.
     *
     * @param minId the first id of the range
     * @param maxId the last id of the range
     * @param size the number of ids in the range
     * @param allocated ids held by leases, including expired ones not yet reclaimed
     * @param resting ids freed or expired that wait out the reuse delay
     * @param available ids that can be handed out now
     * @param utilisation allocated / size, from 0 to 1
     * @param leases the number of leases
     * @param expiredLeases leases past their deadline, not yet reclaimed
     * @param leasesExpiringWithinMinute live leases whose deadline falls within the next minute
     * @param reclaimedLeases leases reclaimed by expiry since the allocator was created (all instances)
     * @param lastFencingToken the newest fencing token handed out
     * @param creator the instance that holds the creator role
     * @param serverTime Redis server time of the snapshot
     * @param recoveryRemaining what is left of the recovery period after Redis lost (or first created) the allocator's
     *     state, during which new leases are refused (ISO-8601 duration; PT0S when over or none)
     * @param reregisteredLeases leases their holders re-registered after Redis lost them
     */
    public record StatsDescriptor(
            long minId,
            long maxId,
            long size,
            long allocated,
            long resting,
            long available,
            double utilisation,
            long leases,
            long expiredLeases,
            long leasesExpiringWithinMinute,
            long reclaimedLeases,
            long lastFencingToken,
            CreatorDescriptor creator,
            String serverTime,
            String recoveryRemaining,
            long reregisteredLeases) {

        static StatsDescriptor of(AllocatorStats stats, IdAllocatorConfig config) {
            Duration remaining = stats.creatorLeaseRemaining();
            Duration age = remaining == null ? null : config.creatorTtl().minus(remaining);
            return new StatsDescriptor(
                    stats.minId(),
                    stats.maxId(),
                    stats.size(),
                    stats.allocated(),
                    stats.resting(),
                    stats.available(),
                    stats.utilisation(),
                    stats.leases(),
                    stats.expiredLeases(),
                    stats.leasesExpiringWithinMinute(),
                    stats.reclaimedLeases(),
                    stats.lastFencingToken(),
                    new CreatorDescriptor(
                            stats.creatorId(),
                            remaining == null ? null : remaining.toString(),
                            age == null ? null : (age.isNegative() ? Duration.ZERO : age).toString()),
                    stats.serverTime().toString(),
                    stats.recoveryRemaining().toString(),
                    stats.reregisteredLeases());
        }
    }

    /**
     * The creator of one allocator.
     *
     * @param instanceId the creator's instance id; {@code null} when no instance holds the creator lease
     * @param leaseRemaining how long the creator lease lasts without renewal (ISO-8601 duration)
     * @param heartbeatAge how long ago the creator last renewed its lease: creator-ttl minus leaseRemaining (it assumes
     *     the creator uses the same creator-ttl as this instance)
     */
    public record CreatorDescriptor(
            @Nullable String instanceId, @Nullable String leaseRemaining, @Nullable String heartbeatAge) {}

    /**
     * This instance's configuration of one allocator; durations are ISO-8601.
     *
     * @param keyPrefix first part of every Redis key
     * @param minId the first id
     * @param maxId the last id
     * @param defaultTtl lease time of allocations that name none
     * @param reuseDelay how long freed ids rest
     * @param cleanupInterval how often the creator reclaims expired leases
     * @param creatorTtl how long the creator lease lasts without renewal
     * @param heartbeatInterval how often the creator lease is renewed or tried
     * @param releaseOnShutdown whether this instance frees its leases on shutdown
     */
    public record ConfigurationDescriptor(
            String keyPrefix,
            long minId,
            long maxId,
            String defaultTtl,
            String reuseDelay,
            String cleanupInterval,
            String creatorTtl,
            String heartbeatInterval,
            boolean releaseOnShutdown) {}

    /**
     * The result of a cleanup.
     *
     * @param allocator the allocator's name
     * @param ran whether the cleanup ran (only the creator instance runs it)
     * @param reclaimed the number of expired leases reclaimed
     * @param message why it did not run; {@code null} when it did
     */
    public record CleanupDescriptor(String allocator, boolean ran, long reclaimed, @Nullable String message) {}

    /**
     * The result of a forced free.
     *
     * @param allocator the allocator's name
     * @param id the id
     * @param freed whether a lease started at the id and was ended
     */
    public record ForceFreeDescriptor(String allocator, long id, boolean freed) {}
}
