package io.github.idallocator.sample;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This instance's worker id (0 to 1023, for example for Snowflake-style ids) from the {@code workers} allocator,
 * injected by qualifier. The lease is renewed by one of the application's own {@code @Scheduled} jobs and freed on
 * shutdown by the starter ({@code release-on-shutdown: true}).
 */
@Component
class WorkerIdentity {

    private static final Logger log = LoggerFactory.getLogger(WorkerIdentity.class);

    private final IdAllocator workers;
    private volatile Lease lease;

    WorkerIdentity(@Qualifier("workers") IdAllocator workers) {
        this.workers = workers;
        this.lease = workers.allocate();
        log.info("This instance is worker {}", lease.id());
    }

    Lease lease() {
        return lease;
    }

    @Scheduled(fixedDelayString = "${sample.worker-id.renew-every:10s}")
    void renew() {
        try {
            lease = workers.extendTtl(lease, workers.config().defaultTtl());
        } catch (IdAllocatorException e) {
            log.warn("Could not renew worker id {} ({}); taking a new one", lease.id(), e.getMessage());
            lease = workers.allocate();
            log.info("This instance is worker {}", lease.id());
        }
    }
}
