package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every allocator, from one {@code stats()} call (one Redis script) per allocator. Details list each allocator
 * with its status, utilisation and creator.
 *
 * <ul>
 *   <li>{@code DOWN} when Redis cannot be read, or when no instance holds the creator lease and this instance's own
 *       heartbeats have not succeeded for a whole creator-ttl (no creator has renewed for longer than creator-ttl). A
 *       creator role released on shutdown is taken over at the next heartbeat; that gap is not reported.
 *   <li>the high-utilisation status ({@code idallocator.health.high-utilisation-status}, default {@code UP}) when an
 *       allocator's utilisation is at or above the threshold ({@code idallocator.health.utilisation-threshold}); its
 *       details then say {@code highUtilisation: true}.
 *   <li>{@code UP} otherwise.
 * </ul>
 */
public class IdAllocatorHealthIndicator extends AbstractHealthIndicator {

    private final IdAllocators allocators;
    private final @Nullable IdAllocatorLifecycle lifecycle;
    private final double threshold;
    private final Status highUtilisation;

    /**
     * Creates the indicator.
     *
     * @param allocators the allocators to check
     * @param lifecycle this instance's heartbeats; {@code null} if none run
     * @param utilisationThreshold the share of allocated ids, above 0 and at most 1, from which an allocator is highly
     *     utilised
     * @param highUtilisationStatus the status code reported while an allocator is highly utilised, such as {@code UP}
     *     or {@code OUT_OF_SERVICE}
     */
    public IdAllocatorHealthIndicator(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            double utilisationThreshold,
            String highUtilisationStatus) {
        super("idallocator health check failed");
        this.allocators = allocators;
        this.lifecycle = lifecycle;
        this.threshold = utilisationThreshold;
        this.highUtilisation = new Status(highUtilisationStatus.toUpperCase(Locale.ROOT));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Status overall = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (IdAllocator allocator : allocators.withInternal()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            Status status = check(allocator, detail);
            details.put(allocator.name(), detail);
            if (Status.DOWN.equals(status)) {
                overall = Status.DOWN;
            } else if (!Status.UP.equals(status) && Status.UP.equals(overall)) {
                overall = status;
            }
        }
        builder.status(overall).withDetails(details);
    }

    private Status check(IdAllocator allocator, Map<String, Object> detail) {
        AllocatorStats stats;
        try {
            stats = allocator.stats();
        } catch (IdAllocatorException e) {
            detail.put("status", Status.DOWN.getCode());
            detail.put("error", e.getMessage());
            return Status.DOWN;
        }
        Status status = Status.UP;
        detail.put("role", stats.role().name());
        detail.put("utilisation", stats.utilisation());
        detail.put("allocated", stats.allocated());
        detail.put("available", stats.available());
        detail.put("size", stats.size());
        detail.put("creator", stats.creatorId());
        if (stats.creatorId() == null && !heartbeatSucceededWithin(allocator)) {
            status = Status.DOWN;
            detail.put(
                    "error",
                    "no instance has renewed the creator lease for longer than creator-ttl "
                            + allocator.config().creatorTtl() + ": heartbeats are failing");
        } else if (stats.utilisation() >= threshold) {
            status = highUtilisation;
        }
        detail.put("highUtilisation", stats.utilisation() >= threshold);
        detail.put("status", status.getCode());
        return status;
    }

    private boolean heartbeatSucceededWithin(IdAllocator allocator) {
        if (lifecycle == null) {
            return false;
        }
        Optional<Duration> since = lifecycle.sinceLastHeartbeat(allocator.name());
        return since.isPresent() && since.get().compareTo(allocator.config().creatorTtl()) < 0;
    }
}
