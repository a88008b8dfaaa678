package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.snowflake.SnowflakeId;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.spring.SnowflakeWorker;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code snowflake} endpoint: the Snowflake generator of this instance, and the parts of any id.
 *
 * <ul>
 *   <li>{@code GET /actuator/snowflake}: the generator, its worker-id lease, counters and layout (the same as the
 *       {@code snowflake} section of {@code GET /actuator/idallocator});
 *   <li>{@code GET /actuator/snowflake/{id}}: the parts of {@code id}: timestamp, worker id and sequence ({@code 400}
 *       for a negative or non-numeric id).
 * </ul>
 *
 * <p>An endpoint of its own, rather than a path under {@code /actuator/idallocator/{name}}: every name is a valid
 * allocator name there, so no path under it could be reserved for the generator without taking it from an allocator.
 */
@Endpoint(id = "snowflake", defaultAccess = Access.READ_ONLY)
public class SnowflakeEndpoint {

    private final SnowflakeWorker worker;

    /**
     * Creates the endpoint.
     *
     * @param worker the generator and its worker-id lease
     */
    public SnowflakeEndpoint(SnowflakeWorker worker) {
        this.worker = worker;
    }

    /** The generator. */
    @ReadOperation
    public SnowflakeDescriptor snowflake() {
        return SnowflakeDescriptor.of(worker);
    }

    /** The parts of an id, by this generator's layout. */
    @ReadOperation
    public DecodedIdDescriptor decode(@Selector long id) {
        try {
            return DecodedIdDescriptor.of(worker.generator().decompose(id));
        } catch (InvalidArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
    }

    /**
     * The Snowflake generator of this instance; instants are ISO-8601 in UTC, durations ISO-8601.
     *
     * @param workerId the leased worker id; -1 while none is held
     * @param granted whether the generator issues ids now: it holds a worker id whose lease is provably valid
     * @param leaseExpiresAt when Redis ends the lease unless it is renewed (Redis server time); {@code null} while none
     *     is held
     * @param sinceLastRenewal how long ago the lease was last acquired or renewed; {@code null} before the first time
     * @param lastIssuedAt the timestamp of the last id issued; {@code null} before the first
     * @param issued ids issued since start-up
     * @param clockBackwardsWaits times the wall clock was behind the last id by no more than the tolerance, and was
     *     waited out
     * @param clockBackwardsFailures times it was further behind, so that {@code nextId()} threw
     *     ClockMovedBackwardsException
     * @param leaseLostRejections calls refused with WorkerLeaseLostException because no valid lease was held
     * @param layout how ids are built
     * @param lease the worker-id lease's allocator and timing
     * @param backend where the worker ids are claimed: {@code redis} or {@code etcd}
     * @param store the name of the store of worker ids: the range allocator's with Redis, the key prefix with etcd
     */
    public record SnowflakeDescriptor(
            long workerId,
            boolean granted,
            @Nullable String leaseExpiresAt,
            @Nullable String sinceLastRenewal,
            @Nullable String lastIssuedAt,
            long issued,
            long clockBackwardsWaits,
            long clockBackwardsFailures,
            long leaseLostRejections,
            LayoutDescriptor layout,
            LeaseDescriptor lease,
            String backend,
            String store) {

        /** Describes a worker; reads no Redis. */
        public static SnowflakeDescriptor of(SnowflakeWorker worker) {
            SnowflakeIdGenerator generator = worker.generator();
            SnowflakeIdGenerator.Stats stats = generator.stats();
            long lastIssued = generator.lastIssuedMillis();
            WorkerIdStore store = worker.store();
            WorkerLeaseSettings settings = worker.settings();
            return new SnowflakeDescriptor(
                    worker.workerId(),
                    worker.isGranted(),
                    worker.leaseExpiresAt().map(Instant::toString).orElse(null),
                    worker.sinceLastRenewal().map(Duration::toString).orElse(null),
                    lastIssued < 0 ? null : Instant.ofEpochMilli(lastIssued).toString(),
                    stats.issued(),
                    stats.clockBackwardsWaits(),
                    stats.clockBackwardsFailures(),
                    stats.leaseLostRejections(),
                    LayoutDescriptor.of(generator.layout()),
                    new LeaseDescriptor(
                            store.name(),
                            store.minId(),
                            store.maxId(),
                            settings.ttl().toString(),
                            settings.heartbeatInterval().toString(),
                            settings.safetyMargin().toString(),
                            settings.maxHandoverWait().toString()),
                    worker.backend(),
                    store.name());
        }
    }

    /**
     * How ids are built: {@code [0 | time | worker id | sequence]}.
     *
     * @param timeBits bits of the timestamp
     * @param workerBits bits of the worker id
     * @param sequenceBits bits of the sequence within a tick
     * @param epoch the instant of timestamp 0
     * @param tick the time unit of the timestamp
     * @param maxWorkerId the largest worker id the layout holds
     * @param idsPerTick ids one worker can issue per tick
     * @param exhaustedAt the first instant whose timestamp no longer fits the time bits
     */
    public record LayoutDescriptor(
            int timeBits,
            int workerBits,
            int sequenceBits,
            String epoch,
            String tick,
            long maxWorkerId,
            long idsPerTick,
            String exhaustedAt) {

        static LayoutDescriptor of(SnowflakeLayout layout) {
            return new LayoutDescriptor(
                    layout.timeBits(),
                    layout.workerBits(),
                    layout.sequenceBits(),
                    layout.epoch().toString(),
                    layout.tick().toString(),
                    layout.maxWorkerId(),
                    layout.maxSequence() + 1,
                    layout.exhaustedAt().toString());
        }
    }

    /**
     * The worker-id lease.
     *
     * @param allocator the store the worker ids are leased from: the range allocator's name with Redis, the key prefix
     *     with etcd
     * @param workerIdMin the first worker id this application may lease
     * @param workerIdMax the last worker id this application may lease
     * @param ttl how long a lease lasts without renewal
     * @param heartbeatInterval how often it is renewed
     * @param safetyMargin how long before the lease's local end the generator stops issuing ids
     * @param maxHandoverWait how long taking a worker id may wait for the previous holder's last timestamp
     */
    public record LeaseDescriptor(
            String allocator,
            long workerIdMin,
            long workerIdMax,
            String ttl,
            String heartbeatInterval,
            String safetyMargin,
            String maxHandoverWait) {}

    /**
     * The parts of one id.
     *
     * @param id the id
     * @param timestamp the start of the tick it was issued in (ISO-8601, UTC)
     * @param workerId the worker id of the generator that issued it
     * @param sequence its sequence within that tick
     */
    public record DecodedIdDescriptor(long id, String timestamp, long workerId, long sequence) {

        static DecodedIdDescriptor of(SnowflakeId parts) {
            return new DecodedIdDescriptor(
                    parts.id(), parts.timestamp().toString(), parts.workerId(), parts.sequence());
        }
    }
}
