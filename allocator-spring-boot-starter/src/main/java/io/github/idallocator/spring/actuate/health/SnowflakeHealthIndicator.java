package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.spring.SnowflakeWorker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Snowflake generator, from this instance's own state (no Redis call): {@code UP} while the generator
 * holds a worker id whose lease it can prove valid, {@code DOWN} otherwise, that is when {@code nextId()} throws
 * WorkerLeaseLostException: the lease could not be renewed in time (the generator tries to lease a worker id again at
 * every heartbeat interval), or it was released on shutdown. Details: the worker id, the backend ({@code redis} or
 * {@code etcd}) and the store's name ({@code store}; with Redis also {@code allocator}, the same name), when the lease
 * ends and how long ago it was last renewed (these two only while known).
 */
public class SnowflakeHealthIndicator extends AbstractHealthIndicator {

    private final SnowflakeWorker worker;

    /**
     * Creates the indicator.
     *
     * @param worker the generator and its worker-id lease
     */
    public SnowflakeHealthIndicator(SnowflakeWorker worker) {
        super("Snowflake health check failed");
        this.worker = worker;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean granted = worker.isGranted();
        long workerId = worker.workerId();
        builder.withDetail("workerId", workerId);
        IdAllocator workers = worker.workerAllocator();
        if (workers != null) {
            builder.withDetail("allocator", workers.name());
        }
        builder.withDetail("backend", worker.backend())
                .withDetail("store", worker.store().name());
        // A detail's value must not be null: without a lease, or before the first renewal, the detail is left out.
        worker.leaseExpiresAt().ifPresent(expiresAt -> builder.withDetail("leaseExpiresAt", expiresAt.toString()));
        worker.sinceLastRenewal().ifPresent(age -> builder.withDetail("sinceLastRenewal", age.toString()));
        if (granted) {
            builder.up();
            return;
        }
        WorkerClaim lost = worker.lease().claim();
        builder.down()
                .withDetail(
                        "error",
                        lost == null
                                ? "no worker id is leased: ids are refused until one is"
                                : "the lease of worker id " + lost.workerId()
                                        + " could not be renewed in time: ids are "
                                        + "refused until a worker id is leased again");
    }
}
