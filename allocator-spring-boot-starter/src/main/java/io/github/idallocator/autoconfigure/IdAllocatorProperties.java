package io.github.idallocator.autoconfigure;

import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.sequence.SequenceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration properties of idallocator, bound from {@code idallocator.*}: plain data. Each value is checked at
 * start-up by the core configuration it becomes ({@link IdAllocatorConfig}, {@link SequenceConfig}, the Snowflake layout,
 * lease settings and generator, {@link LockConfig}, {@link PoolConfig}), so a wrong one fails start-up with a message that names the
 * property, the value, where it was written and the fix.
 *
 * @param enabled Whether to auto-configure idallocator.
 * @param instanceId Id of this instance, the owner of every lease it takes; unique among all instances that share the
 *     allocators. Generated when not set: host name, process id and a random suffix (host-pid-8 hex digits), stable for
 *     the life of the application context.
 * @param keyPrefix First part of every Redis key (prefix:{allocator}:part). Letters, digits, '.', '_', ':' and '-', 1
 *     to 100 characters.
 * @param primary Name of the allocator injected where an IdAllocator is asked for without a qualifier. Not needed with
 *     a single allocator, which is the primary one.
 * @param allocators Allocators by name. The name is part of every Redis key and is the allocator's qualifier; the bean
 *     name is the name followed by "IdAllocator" (orders: ordersIdAllocator), so it never takes the name of an
 *     ordinary bean such as a controller class Orders. Letters, digits, '.', '_' and '-', 1 to 100 characters.
 * @param health Settings of the idallocator health indicator.
 * @param snowflake The Snowflake id generator: a SnowflakeIdGenerator bean supplied with a worker id leased from a
 *     range allocator. Off unless idallocator.snowflake.enabled is true.
 * @param primarySequence Name of the sequence injected where a SequenceAllocator is asked for without a qualifier. Not
 *     needed with a single sequence, which is the primary one.
 * @param sequences Monotonic segment sequences by name. The name is part of the sequence's Redis key and is its
 *     qualifier; the bean name is the name followed by "Sequence" (orders: ordersSequence), so a sequence and an
 *     allocator may share a name. Letters, digits, '.', '_' and '-', 1 to 100 characters.
 * @param locks Distributed locks with fencing tokens: a LockService bean for one namespace of locks. On unless
 *     idallocator.locks.enabled is false; it touches Redis only when a lock is used.
 * @param pools Pools of named resources (proxies, accounts, licences) by name: one ResourcePool bean per pool. The name
 *     is part of every key of the pool and is the pool's qualifier; the bean name is the name followed by "Pool"
 *     (proxies: proxiesPool). Letters, digits, '.', '_' and '-', 1 to 100 characters.
 * @param defaultCommandTimeout Command timeout given to the Lettuce client Spring Boot builds when
 *     spring.data.redis.timeout is not set (Lettuce's own default is 60 s, so a Redis outage would hold every call that
 *     long). Never overrides spring.data.redis.timeout; 0 keeps Lettuce's default. 0 to 10 minutes. Jedis (2 s by
 *     default) and a connection factory of your own are left as they are.
 * @param metrics Settings of the idallocator meters.
 * @param etcd The etcd cluster the Snowflake worker ids are claimed from when idallocator.snowflake.backend is etcd
 *     (needs the io.github.idallocator:allocator-etcd dependency). Unused otherwise.
 * @param tasks Task queues by name (needs the io.github.idallocator:allocator-tasks dependency): one RedisTaskQueue
 *     bean per queue. The name is part of every key of the queue and is the queue's qualifier; the bean name is the
 *     name followed by "TaskQueue" (emails: emailsTaskQueue). Letters, digits, '.', '_' and '-', 1 to 100 characters.
 */
@ConfigurationProperties("idallocator")
public record IdAllocatorProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String instanceId,
        @DefaultValue("idalloc") String keyPrefix,
        @Nullable String primary,
        @DefaultValue Map<String, Allocator> allocators,
        @DefaultValue Health health,
        @DefaultValue Snowflake snowflake,
        @Nullable String primarySequence,
        @DefaultValue Map<String, Sequence> sequences,
        @DefaultValue Locks locks,
        @DefaultValue Map<String, Pool> pools,
        @DefaultValue("2s") Duration defaultCommandTimeout,
        @DefaultValue Metrics metrics,
        @DefaultValue Etcd etcd,
        @DefaultValue Map<String, TaskQueue> tasks) {

    /** The prefix of every property. */
    public static final String PREFIX = "idallocator";

    /** Appended to an allocator's name to make its bean name. */
    public static final String ALLOCATOR_BEAN_SUFFIX = "IdAllocator";

    /** Appended to a sequence's name to make its bean name. */
    public static final String SEQUENCE_BEAN_SUFFIX = "Sequence";

    /** Appended to a pool's name to make its bean name. */
    public static final String POOL_BEAN_SUFFIX = "Pool";

    /** Appended to a task queue's name to make its bean name. */
    public static final String TASK_QUEUE_BEAN_SUFFIX = "TaskQueue";

    /** Copies the maps, which keep the order the properties were written in. */
    public IdAllocatorProperties {
        allocators = Collections.unmodifiableMap(new LinkedHashMap<>(allocators));
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    }

    /**
     * The etcd key prefix of the Snowflake worker ids: {@code idallocator.etcd.namespace} when set, else {@code
     * <key-prefix>/<snowflake.allocator-name>/} ({@code idalloc/snowflake-workers/} by default).
     */
    public String etcdNamespace() {
        String namespace = etcd.namespace();
        return namespace != null ? namespace : keyPrefix + "/" + snowflake.allocatorName() + "/";
    }

    /** The names of the pools that are enabled, in the order they were written. */
    public Set<String> enabledPools() {
        Set<String> names = new LinkedHashSet<>();
        pools.forEach((name, pool) -> {
            if (pool.enabled()) {
                names.add(name);
            }
        });
        return Collections.unmodifiableSet(names);
    }

    /** The name of the pool injected without qualifier: the only enabled pool when there is exactly one, else none. */
    public @Nullable String primaryPool() {
        Set<String> enabled = enabledPools();
        return enabled.size() == 1 ? enabled.iterator().next() : null;
    }

    /**
     * The bean name of the pool {@code idallocator.pools.<name>}: the name followed by {@value #POOL_BEAN_SUFFIX}, so
     * that it never takes the name of an ordinary bean, an allocator or a sequence.
     */
    public static String poolBeanName(String name) {
        return name + POOL_BEAN_SUFFIX;
    }

    /** The property name of one pool setting, such as {@code idallocator.pools.proxies.lease-time}. */
    public static String poolProperty(String name, String setting) {
        return PREFIX + ".pools." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * The bean name of the task queue {@code idallocator.tasks.<name>}: the name followed by {@value
     * #TASK_QUEUE_BEAN_SUFFIX}, so that it never takes the name of an ordinary bean or of another idallocator bean.
     */
    public static String taskQueueBeanName(String name) {
        return name + TASK_QUEUE_BEAN_SUFFIX;
    }

    /** The property name of one task queue setting, such as {@code idallocator.tasks.emails.max-attempts}. */
    public static String taskQueueProperty(String name, String setting) {
        return PREFIX + ".tasks." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * The name of the sequence injected without qualifier: {@link #primarySequence()} when set, the only sequence when
     * there is exactly one, otherwise none.
     */
    public @Nullable String primarySequenceName() {
        if (primarySequence != null) {
            return primarySequence;
        }
        return sequences.size() == 1 ? sequences.keySet().iterator().next() : null;
    }

    /**
     * The names of the allocators configured with {@code release-on-shutdown}, whose leases held by this instance are
     * freed on shutdown.
     */
    public Set<String> allocatorsReleasedOnShutdown() {
        Set<String> names = new LinkedHashSet<>();
        allocators.forEach((name, allocator) -> {
            if (allocator.releaseOnShutdown()) {
                names.add(name);
            }
        });
        return Collections.unmodifiableSet(names);
    }

    /**
     * The bean name of the sequence {@code idallocator.sequences.<name>}: the name followed by {@value
     * #SEQUENCE_BEAN_SUFFIX}, so that a sequence and an allocator may share a name.
     */
    public static String sequenceBeanName(String name) {
        return name + SEQUENCE_BEAN_SUFFIX;
    }

    /** The property name of one sequence setting, such as {@code idallocator.sequences.orders.step}. */
    public static String sequenceProperty(String name, String setting) {
        return PREFIX + ".sequences." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /** The property name of one Snowflake setting, such as {@code idallocator.snowflake.lease-ttl}. */
    public static String snowflakeProperty(String setting) {
        return PREFIX + ".snowflake" + (setting.isEmpty() ? "" : "." + setting);
    }

    /** The property name of one etcd setting, such as {@code idallocator.etcd.endpoints}. */
    public static String etcdProperty(String setting) {
        return PREFIX + ".etcd" + (setting.isEmpty() ? "" : "." + setting);
    }

    /** The property name of one lock setting, such as {@code idallocator.locks.lease-time}. */
    public static String locksProperty(String setting) {
        return PREFIX + ".locks" + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * The name of the allocator injected without qualifier: {@link #primary()} when set, the only allocator when there
     * is exactly one, otherwise none.
     */
    public @Nullable String primaryAllocator() {
        if (primary != null) {
            return primary;
        }
        return allocators.size() == 1 ? allocators.keySet().iterator().next() : null;
    }

    /** The property name of one allocator setting, such as {@code idallocator.allocators.orders.max-id}. */
    public static String allocatorProperty(String name, String setting) {
        return PREFIX + ".allocators." + name + (setting.isEmpty() ? "" : "." + setting);
    }

    /**
     * One allocator: the range of ids it hands out and its timings. Defaults are those of {@link IdAllocatorConfig}.
     *
     * @param minId First id handed out, 0 or more.
     * @param maxId Last id handed out, inclusive. Required; the range holds at most 2^32 ids.
     * @param defaultTtl Lease time of allocations that name none.
     * @param reuseDelay How long a freed or expired id rests before it is handed out again; 0 hands it out at once.
     * @param cleanupInterval How often the creator instance reclaims expired leases.
     * @param creatorTtl How long the creator lease lasts without renewal: another instance takes the creator role
     *     within this time after the creator dies. Use the same value on every instance.
     * @param heartbeatInterval How often each instance renews, or tries to take, the creator lease. Shorter than
     *     creator-ttl; at most a third of it is advised.
     * @param releaseOnShutdown Whether to free every lease this instance holds when the application shuts down. When
     *     false, the leases stay until they expire.
     * @param replicaAcks How many replicas must confirm each allocation, reservation or renewal (Redis WAIT) before
     *     the caller gets it; too few within replica-ack-timeout and the call throws ReplicaAckException and the grant
     *     is released. A confirmed grant survives a failover to a replica that confirmed it. 0 (the default) sends no
     *     WAIT. At most 16.
     * @param replicaAckTimeout How long a call waits for the replicas' confirmations when replica-acks is above 0. Keep
     *     it below the Redis command timeout (spring.data.redis.timeout). At most 1 minute.
     * @param recoveryPeriod After Redis lost the allocator's state (a restart without persistence, FLUSHALL, a failover
     *     to a replica that missed writes) or when it is new, how long new grants are refused so that holders still
     *     alive can re-register their leases. 0 (the default) hands ids out at once. When set, default-ttl must not be
     *     longer. At most 1 hour.
     */
    public record Allocator(
            @DefaultValue("0") long minId,
            @Nullable Long maxId,
            @DefaultValue("5m") Duration defaultTtl,
            @DefaultValue("1s") Duration reuseDelay,
            @DefaultValue("10s") Duration cleanupInterval,
            @DefaultValue("15s") Duration creatorTtl,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("false") boolean releaseOnShutdown,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout,
            @DefaultValue("0") Duration recoveryPeriod) {}

    /**
     * Settings of the {@code idallocator}, {@code locks} and {@code pools} health indicators.
     *
     * @param utilisationThreshold Share of allocated ids, from 0 to 1, from which an allocator counts as highly
     *     utilised: flagged in the health details and reported with the high-utilisation status.
     * @param highUtilisationStatus Health status reported while an allocator is at or above the utilisation threshold,
     *     for example OUT_OF_SERVICE or a custom status. UP only flags it in the details.
     * @param lockLostWindow How long the locks health indicator reports DOWN after a lock lease of this instance was
     *     lost (its renewal was refused or not confirmed in time, so work done under it may have overlapped another
     *     holder's). 0 never reports DOWN for it; the details count losses either way.
     * @param poolUnusableStatus Health status the pools health indicator reports for a pool none of whose resources
     *     can ever take a holder: it has none, or all are quarantined or draining. OUT_OF_SERVICE (the default), DOWN
     *     or a custom status; a pool whose resources are merely all held is UP.
     * @param timeout The longest the idallocator and pools health indicators wait for Redis to answer their reads
     *     (all allocators, and all pools, are read at once); an allocator or pool not read in time is DOWN. 1 ms to 1
     *     minute.
     */
    public record Health(
            @DefaultValue("0.9") double utilisationThreshold,
            @DefaultValue("UP") String highUtilisationStatus,
            @DefaultValue("1m") Duration lockLostWindow,
            @DefaultValue("OUT_OF_SERVICE") String poolUnusableStatus,
            @DefaultValue("1s") Duration timeout) {}

    /**
     * Settings of the idallocator meters.
     *
     * @param refreshInterval How often a background thread reads the allocators' stats and the pools' totals from Redis
     *     for the gauges; a scrape never waits for Redis, it reports the last reading. 100 ms to 1 hour.
     */
    public record Metrics(@DefaultValue("5s") Duration refreshInterval) {}

    /**
     * The Snowflake id generator and the lease of its worker id. Defaults are those of the core library: the classic
     * 41/10/12 layout in milliseconds since 2024-01-01, worker ids 0 to 1023 leased for 30 s and renewed every 10 s.
     *
     * @param enabled Whether to create a SnowflakeIdGenerator bean and lease it a worker id at start-up.
     * @param epoch Instant of timestamp 0 (ISO-8601, for example 2024-01-01T00:00:00Z). Not in the future. Never change
     *     it once ids are in use: ids of a later epoch can repeat earlier ones.
     * @param timeBits Bits of the timestamp. time-bits + worker-bits + sequence-bits must be 63 (the sign bit stays 0).
     * @param workerBits Bits of the worker id, 1 to 20: at most 2^worker-bits instances issue ids at the same time.
     * @param sequenceBits Bits of the sequence within one tick: 2^sequence-bits ids per tick and worker.
     * @param tick Time unit of the timestamp: a whole number of milliseconds.
     * @param workerIdMin First worker id this application may lease.
     * @param workerIdMax Last worker id this application may lease, inclusive. Defaults to 2^worker-bits - 1, the
     *     largest the layout holds. Give environments that share one Redis and one allocator name disjoint ranges.
     * @param allocatorName Name of the range allocator the worker ids are leased from (part of its Redis keys; it is
     *     listed with the other allocators). Instances that use the same name and key prefix never share a worker id.
     * @param leaseTtl How long a worker-id lease lasts without renewal. An instance that dies frees its worker id for
     *     others after this time.
     * @param heartbeatInterval How often the worker-id lease is renewed: at most a third of lease-ttl.
     * @param safetyMargin How long before the lease ends (by the local clock) the generator already stops issuing ids
     *     when it could not renew.
     * @param maxHandoverWait How long taking a worker id may wait for this clock to pass the last timestamp its previous
     *     holder could have used; when that lies further ahead, another worker id is taken. 0 to 1 minute.
     * @param clockBackwardsTolerance How far the wall clock may step back before nextId() throws
     *     ClockMovedBackwardsException; smaller steps are waited out. 0 to 10 s.
     * @param replicaAcks How many replicas must confirm each worker-id lease and each renewal (Redis WAIT) before it
     *     counts; too few within replica-ack-timeout and the lease or renewal fails (ReplicaAckException), a new lease
     *     being released. A confirmed lease survives a failover to a replica that confirmed it. 0 (the default) sends
     *     no WAIT. At most 16.
     * @param replicaAckTimeout How long to wait for the replicas' confirmations when replica-acks is above 0. Keep it
     *     below the Redis command timeout (spring.data.redis.timeout). At most 1 minute.
     * @param recoveryPeriod After Redis lost the worker-id allocator's state, how long no worker id is granted so that
     *     holders still alive can re-register theirs. Defaults to lease-ttl (every holder still alive renews within
     *     it); 0 grants worker ids at once. Not shorter than lease-ttl unless 0; at most 1 hour. Redis only.
     * @param backend Where the worker ids are claimed: redis (the default: a range allocator on the application's
     *     Redis) or etcd (keys attached to etcd leases on the cluster of idallocator.etcd.*, which needs the
     *     io.github.idallocator:allocator-etcd dependency). With etcd, allocator-name names no Redis allocator, and
     *     replica-acks and recovery-period do not apply: etcd confirms every claim through Raft before it answers.
     */
    public record Snowflake(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("2024-01-01T00:00:00Z") Instant epoch,
            @DefaultValue("41") int timeBits,
            @DefaultValue("10") int workerBits,
            @DefaultValue("12") int sequenceBits,
            @DefaultValue("1ms") Duration tick,
            @DefaultValue("0") long workerIdMin,
            @Nullable Long workerIdMax,
            @DefaultValue("snowflake-workers") String allocatorName,
            @DefaultValue("30s") Duration leaseTtl,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("1s") Duration safetyMargin,
            @DefaultValue("2s") Duration maxHandoverWait,
            @DefaultValue("5ms") Duration clockBackwardsTolerance,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout,
            @Nullable Duration recoveryPeriod,
            @DefaultValue("redis") String backend) {

        /** The value of {@link #backend()} that claims worker ids from Redis, the default. */
        public static final String REDIS_BACKEND = "redis";

        /** The value of {@link #backend()} that claims worker ids from etcd. */
        public static final String ETCD_BACKEND = "etcd";
    }

    /**
     * The etcd cluster the Snowflake worker ids are claimed from, with idallocator.snowflake.backend=etcd: a jetcd
     * client bean, closed on shutdown.
     *
     * @param endpoints The client URLs of the etcd members, such as http://etcd-0:2379, or https://etcd-0:2379 for TLS.
     *     Required with the etcd backend. All of one scheme.
     * @param namespace First part of every etcd key of the worker ids (namespace + "workers/" + id and namespace +
     *     "notes/" + id). Defaults to key-prefix/allocator-name/ (idalloc/snowflake-workers/): instances that share it
     *     never share a worker id.
     * @param user User name for etcd authentication; set together with password. None by default.
     * @param password Password of user.
     * @param timeout How long to wait for each etcd request before the call fails (EtcdUnavailableException). 1 ms to
     *     1 minute.
     * @param ssl TLS to etcd, with https endpoints.
     */
    public record Etcd(
            @DefaultValue List<String> endpoints,
            @Nullable String namespace,
            @Nullable String user,
            @Nullable String password,
            @DefaultValue("5s") Duration timeout,
            @DefaultValue Ssl ssl) {

        /** Copies the list of endpoints. */
        public Etcd {
            endpoints = List.copyOf(endpoints);
        }

        /**
         * TLS to etcd, used with https endpoints (which turn it on).
         *
         * @param bundle Name of the Spring Boot SSL bundle (one of spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*)
         *     for https endpoints: its trust store holds the CA certificates etcd's server certificate is checked
         *     against, and its key store, if any, the client certificate and private key presented to etcd (for
         *     --client-cert-auth). Without it the JVM's default trust store is used and no client certificate is
         *     presented. Only with https endpoints.
         */
        public record Ssl(@Nullable String bundle) {}
    }

    /**
     * One monotonic segment sequence. Defaults are those of {@link SequenceConfig}.
     *
     * @param step Ids per segment taken from Redis at a time, and the smallest step when it adapts to load. 1 to
     *     10,000,000.
     * @param maxStep Largest segment the step may grow to under load (it doubles while segments last less than 1 s).
     *     Defaults to the larger of step and 1,000,000; equal to step turns adaptation off.
     * @param prefetchThreshold Share of a segment left (above 0, below 1) when the next segment is fetched in the
     *     background.
     * @param initialValue First id of a sequence not yet stored in Redis. 0 or more.
     * @param floor Lowest id ever handed out, also by new instances after Redis lost data (0: none). Set it above the
     *     highest id already in your data.
     * @param strict Whether every id comes from Redis (one round trip per call): ids then increase across all instances,
     *     not only within one.
     * @param repairGap Added to this instance's highest id when Redis is found to have lost the counter, to stay clear of
     *     ids other instances were granted meanwhile. 0 to 2^40.
     * @param recoveryPeriod After Redis lost the sequence (or when it is new), how long new instances are refused so
     *     that running ones re-register the ids they hold first; also the lease of a running instance's segments. 0
     *     turns it off; otherwise 100 ms to 1 hour.
     * @param replicaAcks How many replicas must confirm each segment granted (and each repair of the counter) with
     *     Redis {@code WAIT} before this instance uses it; 0 (the default) does not wait. 0 to 16.
     * @param replicaAckTimeout How long to wait for those confirmations before the fetch fails with a retryable
     *     ReplicaAckException (the segment is then never used). 1 ms to 1 minute.
     */
    public record Sequence(
            @DefaultValue("1000") int step,
            @Nullable Integer maxStep,
            @DefaultValue("0.2") double prefetchThreshold,
            @DefaultValue("1") long initialValue,
            @DefaultValue("0") long floor,
            @DefaultValue("false") boolean strict,
            @DefaultValue("4294967296") long repairGap,
            @DefaultValue("10s") Duration recoveryPeriod,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout) {}

    /**
     * The distributed locks of one namespace: a LockService bean. Defaults are those of {@link LockConfig}; the keys
     * start with idallocator.key-prefix and the owner ids with idallocator.instance-id.
     *
     * @param enabled Whether to create the LockService bean. It opens no Redis connection until a lock is used (the
     *     wake-up subscription starts at the first wait).
     * @param namespace Namespace of the locks, part of every lock key: locks of different namespaces never meet.
     *     Letters, digits, '.', '_' and '-', 1 to 100 characters.
     * @param leaseTime How long a lock is held without renewal, by Redis server time. A held lock is renewed every
     *     third of it; a holder that could not renew within it loses the lock (isHeld() turns false first). 30 ms to
     *     1 day.
     * @param waitPollBound The longest a waiting acquisition sleeps between two attempts: what a lost wake-up message
     *     costs at most. 1 ms to 1 minute.
     * @param tokenRetention How long a released lock keeps its fencing token in Redis, so that tokens increase even if
     *     the Redis clock steps back meanwhile. 0 deletes a lock's hash on release. At most 7 days.
     * @param maxHoldTime Age at which a lease is no longer renewed, so a holder that never releases loses the lock one
     *     lease time later. 0 (the default): no limit; at most 1 day.
     * @param replicaAcks How many replicas must confirm each acquisition and renewal (Redis WAIT) before it counts;
     *     too few within replica-ack-timeout and the acquisition fails with ReplicaAckException (the grant is
     *     released). What makes a lock survive a failover. 0 (the default) sends no WAIT. At most 16.
     * @param replicaAckTimeout How long to wait for the replicas' confirmations when replica-acks is above 0. Keep it
     *     below the Redis command timeout (spring.data.redis.timeout). At most 1 minute.
     */
    public record Locks(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("default") String namespace,
            @DefaultValue("30s") Duration leaseTime,
            @DefaultValue("250ms") Duration waitPollBound,
            @DefaultValue("1h") Duration tokenRetention,
            @DefaultValue("0") Duration maxHoldTime,
            @DefaultValue("0") int replicaAcks,
            @DefaultValue("1s") Duration replicaAckTimeout) {}

    /**
     * One pool of named resources: a ResourcePool bean. Defaults are those of {@link PoolConfig}; the owner ids of its
     * leases start with idallocator.instance-id.
     *
     * @param enabled Whether to create the pool's bean. false leaves the pool out, its settings unchecked.
     * @param keyPrefix First part of the pool's keys (prefix:{pool:name}:part). Defaults to idallocator.key-prefix.
     * @param maxHolders How many holders one resource takes at a time: 1 is exclusive mode; more is shared mode, where
     *     a new holder goes to the least loaded resource. Stored in Redis by the first instance: an instance configured
     *     otherwise fails to start. 1 to 10,000.
     * @param leaseTime How long a lease lasts without renewal, by Redis server time; the default of acquisitions that
     *     name none. A holder that could not renew within it loses the resource (isHeld() turns false first). 30 ms to
     *     1 day.
     * @param autoRenew Whether held leases are renewed in the background every third of their lease time; false lets
     *     them expire at the end of their lease time unless renewed. An acquisition may choose otherwise.
     * @param bindingTtl How long a soft binding (an acquisition's preferBound name and the resource it got) lives
     *     after it was last used. 1 s to 30 days.
     * @param waitPollBound The longest a waiting acquisition sleeps between two attempts: what a lost wake-up costs at
     *     most. 1 ms to 1 minute.
     * @param unhealthyThreshold How many releases reporting a resource unhealthy within unhealthy-window quarantine it.
     *     1 to 1000.
     * @param unhealthyWindow The window in which unhealthy releases are counted. 1 s to 1 day.
     * @param maintenanceInterval How often the pool's creator instance collects expired leases, bindings and waiter
     *     tickets, ends due quarantines and runs the health check on quarantined resources. 100 ms to 1 hour.
     * @param healthCheckTimeout The longest one health check of one quarantined resource may take before it counts as
     *     failed. 1 ms to 10 minutes.
     * @param resources Resources added to the pool at start-up, each a name or a name with priority and metadata.
     *     Added idempotently by every instance: an existing resource gets the priority given here (and the metadata,
     *     when some is given), one being drained is taken back into service; resources not listed are left as they are.
     */
    public record Pool(
            @DefaultValue("true") boolean enabled,
            @Nullable String keyPrefix,
            @DefaultValue("1") int maxHolders,
            @DefaultValue("30s") Duration leaseTime,
            @DefaultValue("true") boolean autoRenew,
            @DefaultValue("1h") Duration bindingTtl,
            @DefaultValue("250ms") Duration waitPollBound,
            @DefaultValue("3") int unhealthyThreshold,
            @DefaultValue("1m") Duration unhealthyWindow,
            @DefaultValue("5s") Duration maintenanceInterval,
            @DefaultValue("5s") Duration healthCheckTimeout,
            @DefaultValue List<Resource> resources) {

        /** Copies the list. */
        public Pool {
            resources = List.copyOf(resources);
        }
    }

    /**
     * A resource added to a pool at start-up. Written as its name alone ({@code - proxy-eu-1:3128}) or with its
     * settings ({@code - name: proxy-eu-1:3128} and {@code priority}, {@code metadata}).
     *
     * @param name The resource's name, such as a proxy's host:port: 1 to 200 characters without braces, '|',
     *     whitespace or control characters.
     * @param priority Lower is served first; resources of a higher priority are handed out only while all of lower
     *     priority are busy. 0 to 1,000,000.
     * @param metadata A text for the health check and operators (a URL, a region), at most 4096 characters.
     */
    public record Resource(@Nullable String name, @DefaultValue("0") int priority, @Nullable String metadata) {

        /** The resource {@code name} with priority 0 and no metadata: what a name alone in the list binds to. */
        public static Resource of(String name) {
            return new Resource(name, 0, null);
        }
    }

    /**
     * One task queue: a RedisTaskQueue bean, workers for the application's @TaskListener method of the queue, and its
     * part of the tasks health indicator. Defaults are those of the task queue library (TaskQueueConfig); the keys start
     * with idallocator.key-prefix and the worker ids are idallocator.instance-id.
     *
     * @param keyPrefix First part of the queue's keys, all in one Redis Cluster slot. Defaults to
     *     idallocator.key-prefix.
     * @param visibilityTimeout How long a claimed task belongs to its worker, by Redis server time: a task not
     *     completed, failed or extended within it runs again elsewhere. Workers extend it every third of it while the
     *     handler runs, so it bounds how long a dead or paused worker holds a task, not how long a task may run. 30 ms
     *     to 1 day.
     * @param maxAttempts How many times a task is claimed at most; a task whose last attempt failed or timed out moves
     *     to the dead tasks. 1 (never retried) to 1000.
     * @param backoff The wait before a failed task is tried again: initial * multiplier^(attempt - 1), at most max,
     *     shortened by a random part of up to jitter of itself.
     * @param retention How long a completed task and its result are kept; its id stays taken as long. 1 s to 365 days.
     * @param deadRetention How long a dead task is kept for listing and requeueing. 1 s to 365 days.
     * @param idleExpiry How long a queue nobody writes to keeps its keys: they all expire together, this long after
     *     the last write or up to a tenth later, so no key lives forever. At least both retentions, at most 3650 days.
     * @param pollBound The longest a waiting worker or result reader sleeps between two reads; a published signal
     *     usually wakes them sooner. 1 ms to 1 minute.
     * @param workers The worker threads that run the application's @TaskListener method of the queue.
     * @param health The queue's part of the tasks health indicator.
     */
    public record TaskQueue(
            @Nullable String keyPrefix,
            @DefaultValue("30s") Duration visibilityTimeout,
            @DefaultValue("5") int maxAttempts,
            @DefaultValue TaskBackoff backoff,
            @DefaultValue("1d") Duration retention,
            @DefaultValue("7d") Duration deadRetention,
            @DefaultValue("30d") Duration idleExpiry,
            @DefaultValue("1s") Duration pollBound,
            @DefaultValue TaskWorkers workers,
            @DefaultValue TaskHealth health) {}

    /**
     * The wait before a failed task is tried again.
     *
     * @param initial The wait after the first failed attempt; 0 retries at once. 0 to 1 day.
     * @param max The longest wait: at least initial, at most 1 day.
     * @param multiplier How much longer each next wait is: 1 (a fixed wait) to 100.
     * @param jitter The largest part of a wait taken off at random, so tasks failed by one outage do not all come back
     *     at once: 0 (an exact schedule) to 1.
     */
    public record TaskBackoff(
            @DefaultValue("1s") Duration initial,
            @DefaultValue("5m") Duration max,
            @DefaultValue("2") double multiplier,
            @DefaultValue("0.2") double jitter) {}

    /**
     * The workers of one task queue.
     *
     * @param threads How many tasks of the queue this instance runs at once, unless the @TaskListener method names a
     *     number of its own. 1 to 1000.
     * @param shutdownTimeout How long shutdown waits for running handlers before it interrupts them (their tasks run
     *     again elsewhere after the visibility timeout). 0 to 1 hour.
     */
    public record TaskWorkers(@DefaultValue("8") int threads, @DefaultValue("30s") Duration shutdownTimeout) {}

    /**
     * The part of one task queue in the tasks health indicator.
     *
     * @param maxWaiting How long the oldest claimable task may wait while the queue has no live worker (on any
     *     instance) before the queue is DOWN. 1 ms to 365 days.
     */
    public record TaskHealth(@DefaultValue("5m") Duration maxWaiting) {}
}
