package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.IdAllocators;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every allocator, one contributor per allocator (as Spring Boot's {@code db} has one per data source), so
 * that {@code /actuator/health/idallocator/orders} answers for one and allocators can go into different health groups.
 * Each allocator's health comes from one {@code stats()} call (one Redis script); details give its status, role,
 * utilisation, counts and creator.
 *
 * <p>The first contributor asked reads every allocator at once, on threads of its own, and the reads serve every
 * contributor asked until they have all answered (or the timeout passed) and half a second more: one request for
 * {@code /actuator/health} costs one read per allocator and waits at most {@code timeout} in all, not the Redis
 * client's command timeout once per allocator. While an allocator's read is still under way, a new round waits for it
 * instead of starting another, so a hanging Redis ties up one thread per allocator.
 *
 * <ul>
 *   <li>{@code DOWN} when Redis cannot be read or does not answer within {@code timeout}, or when no instance holds the
 *       creator lease and this instance's own heartbeats have not succeeded for a whole creator-ttl. A creator role
 *       released on shutdown is taken over at the next heartbeat; that gap is not reported.
 *   <li>the high-utilisation status ({@code idallocator.health.high-utilisation-status}, default {@code UP}) when an
 *       allocator's utilisation is at or above the threshold ({@code idallocator.health.utilisation-threshold}); its
 *       details then say {@code highUtilisation: true}.
 *   <li>{@code UP} otherwise.
 * </ul>
 */
public class IdAllocatorHealthContributor implements CompositeHealthContributor, AutoCloseable {

    /** How long finished reads keep serving the contributors asked after the first. */
    static final Duration ROUND_REUSE = Duration.ofMillis(500);

    private static final AtomicInteger CONTRIBUTORS = new AtomicInteger();

    private final IdAllocators allocators;
    private final @Nullable IdAllocatorLifecycle lifecycle;
    private final double threshold;
    private final Status highUtilisation;
    private final Duration timeout;
    private final ExecutorService reads;
    private final Map<String, CompletableFuture<AllocatorStats>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    private final Object lock = new Object();
    private @Nullable Round round;

    /**
     * Creates the contributor.
     *
     * @param allocators the allocators to check, the internal ones included
     * @param lifecycle this instance's heartbeats; {@code null} if none run
     * @param utilisationThreshold the share of allocated ids, above 0 and at most 1, from which an allocator is highly
     *     utilised
     * @param highUtilisationStatus the status code reported while an allocator is highly utilised, such as {@code UP}
     *     or {@code OUT_OF_SERVICE}
     * @param timeout the longest one round of reads waits for Redis
     */
    public IdAllocatorHealthContributor(
            IdAllocators allocators,
            @Nullable IdAllocatorLifecycle lifecycle,
            double utilisationThreshold,
            String highUtilisationStatus,
            Duration timeout) {
        this.allocators = allocators;
        this.lifecycle = lifecycle;
        this.threshold = utilisationThreshold;
        this.highUtilisation = new Status(highUtilisationStatus.toUpperCase(Locale.ROOT));
        this.timeout = timeout;
        int number = CONTRIBUTORS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.reads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "idallocator-health-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (IdAllocator allocator : allocators.withInternal()) {
            indicators.put(allocator.name(), () -> health(allocator));
        }
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        return indicators.get(name);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return indicators.entrySet().stream()
                .map(indicator -> new HealthContributors.Entry(indicator.getKey(), indicator.getValue()));
    }

    private Health health(IdAllocator allocator) {
        Round current = round();
        CompletableFuture<AllocatorStats> read = current.reads.get(allocator.name());
        Map<String, Object> details = new LinkedHashMap<>();
        Status status = read == null
                ? down(details, "the allocator is not known to the health contributor")
                : check(allocator, read, current.deadline, details);
        return Health.status(status).withDetails(details).build();
    }

    /** The round of reads under way or just finished, or a new one. */
    private Round round() {
        synchronized (lock) {
            long now = System.nanoTime();
            Round current = round;
            if (current == null || !current.serves(now)) {
                Map<String, CompletableFuture<AllocatorStats>> started = new LinkedHashMap<>();
                for (IdAllocator allocator : allocators.withInternal()) {
                    started.put(allocator.name(), read(allocator));
                }
                current = new Round(started, now + timeout.toNanos());
                round = current;
            }
            return current;
        }
    }

    /** The read of {@code allocator}'s stats under way, or a new one. */
    private CompletableFuture<AllocatorStats> read(IdAllocator allocator) {
        return inFlight.compute(allocator.name(), (name, running) -> {
            if (running != null && !running.isDone()) {
                return running;
            }
            return CompletableFuture.supplyAsync(allocator::stats, reads);
        });
    }

    private Status check(
            IdAllocator allocator, CompletableFuture<AllocatorStats> read, long deadline, Map<String, Object> details) {
        AllocatorStats stats;
        try {
            stats = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return down(details, "Redis did not answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down(details, cause.getMessage() != null ? cause.getMessage() : cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(details, "interrupted while reading the allocator");
        }
        Status status = Status.UP;
        details.put("role", stats.role().name());
        details.put("utilisation", stats.utilisation());
        details.put("allocated", stats.allocated());
        details.put("available", stats.available());
        details.put("size", stats.size());
        details.put("creator", stats.creatorId());
        if (stats.creatorId() == null && !heartbeatSucceededWithin(allocator)) {
            status = Status.DOWN;
            details.put(
                    "error",
                    "no instance has renewed the creator lease for longer than creator-ttl "
                            + allocator.config().creatorTtl() + ": heartbeats are failing");
        } else if (stats.utilisation() >= threshold) {
            status = highUtilisation;
        }
        details.put("highUtilisation", stats.utilisation() >= threshold);
        return status;
    }

    private static Status down(Map<String, Object> details, String error) {
        details.put("error", error);
        return Status.DOWN;
    }

    private boolean heartbeatSucceededWithin(IdAllocator allocator) {
        if (lifecycle == null) {
            return false;
        }
        Optional<Duration> since = lifecycle.sinceLastHeartbeat(allocator.name());
        return since.isPresent() && since.get().compareTo(allocator.config().creatorTtl()) < 0;
    }

    /** Stops the reading threads. */
    @Override
    public void close() {
        reads.shutdownNow();
    }

    /** One read of every allocator, shared by the contributors asked while it serves. */
    private static final class Round {

        private final Map<String, CompletableFuture<AllocatorStats>> reads;
        private final long deadline;
        private final AtomicLong lastAnswer = new AtomicLong();
        private final AtomicInteger pending;

        Round(Map<String, CompletableFuture<AllocatorStats>> reads, long deadline) {
            this.reads = reads;
            this.deadline = deadline;
            this.pending = new AtomicInteger(reads.size());
            reads.values()
                    .forEach(read -> read.whenComplete((stats, failure) -> {
                        lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                        pending.decrementAndGet();
                    }));
        }

        /** Whether the round still serves at {@code now}: reads are under way, or all ended less than 0.5 s ago. */
        boolean serves(long now) {
            long settled;
            if (pending.get() == 0) {
                settled = lastAnswer.get() - deadline < 0 ? lastAnswer.get() : deadline;
            } else if (now - deadline >= 0) {
                settled = deadline;
            } else {
                return true;
            }
            return now - settled < ROUND_REUSE.toNanos();
        }
    }
}
