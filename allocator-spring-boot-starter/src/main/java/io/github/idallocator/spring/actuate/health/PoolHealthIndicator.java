package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.spring.ResourcePools;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of every pool, from one read of its totals (one Redis script) per pool. All pools are read at once, on threads
 * of the indicator's own, and the indicator waits for them at most {@code timeout} in all: a Redis that hangs makes it
 * answer {@code DOWN} within that bound, not within the client's command timeout. While a pool's read is still under
 * way, a new check waits for that read instead of starting another, so a hanging Redis ties up one thread per pool.
 *
 * <ul>
 *   <li>{@code DOWN} when a pool's totals cannot be read (Redis unreachable, or no answer within {@code timeout});
 *   <li>the unusable status ({@code idallocator.health.pool-unusable-status}, default {@code OUT_OF_SERVICE}) when a
 *       pool has no resource that can ever take a holder: none at all, or all quarantined or draining;
 *   <li>{@code UP} otherwise, also while every resource is held (callers then wait or time out, which the meters show).
 * </ul>
 *
 * Details list each pool with its status and counts: {@code resources}, {@code inService} (neither quarantined nor
 * draining), {@code available} (can take a holder now), {@code quarantined}, {@code draining}, {@code leases} and
 * {@code waiters} (all instances).
 */
public class PoolHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

    private static final AtomicInteger INDICATORS = new AtomicInteger();

    private final ResourcePools pools;
    private final Status unusable;
    private final Duration timeout;
    private final ExecutorService reads;
    private final Map<String, CompletableFuture<PoolSnapshot.Totals>> inFlight = new ConcurrentHashMap<>();

    /**
     * Creates the indicator.
     *
     * @param pools the pools to check
     * @param unusableStatus the status code of a pool none of whose resources can take a holder, such as {@code
     *     OUT_OF_SERVICE} or {@code DOWN}
     * @param timeout the longest a check waits for the pools' reads
     */
    public PoolHealthIndicator(ResourcePools pools, String unusableStatus, Duration timeout) {
        super("Pool health check failed");
        this.pools = pools;
        this.unusable = new Status(unusableStatus.toUpperCase(Locale.ROOT));
        this.timeout = timeout;
        int number = INDICATORS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.reads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "idallocator-pools-indicator-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, CompletableFuture<PoolSnapshot.Totals>> started = new LinkedHashMap<>();
        for (ResourcePool pool : pools) {
            started.put(pool.name(), read(pool));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Status overall = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<PoolSnapshot.Totals>> pool : started.entrySet()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            Status status = check(pool.getValue(), deadline, detail);
            details.put(pool.getKey(), detail);
            if (Status.DOWN.equals(status)) {
                overall = Status.DOWN;
            } else if (!Status.UP.equals(status) && Status.UP.equals(overall)) {
                overall = status;
            }
        }
        builder.status(overall).withDetails(details);
    }

    /** The read of {@code pool}'s totals under way, or a new one. */
    private CompletableFuture<PoolSnapshot.Totals> read(ResourcePool pool) {
        return inFlight.compute(pool.name(), (name, running) -> {
            if (running != null && !running.isDone()) {
                return running;
            }
            return CompletableFuture.supplyAsync(() -> pool.snapshot(null, 1).totals(), reads);
        });
    }

    private Status check(CompletableFuture<PoolSnapshot.Totals> read, long deadline, Map<String, Object> detail) {
        PoolSnapshot.Totals totals;
        try {
            totals = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return down(detail, "Redis did not answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down(detail, cause.getMessage() != null ? cause.getMessage() : cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(detail, "interrupted while reading the pool");
        }
        long inService = totals.resources() - totals.quarantined() - totals.draining();
        detail.put("resources", totals.resources());
        detail.put("inService", inService);
        detail.put("available", totals.available());
        detail.put("quarantined", totals.quarantined());
        detail.put("draining", totals.draining());
        detail.put("leases", totals.leases());
        detail.put("waiters", totals.waiters());
        if (inService <= 0) {
            detail.put(
                    "error",
                    totals.resources() == 0
                            ? "the pool has no resources"
                            : "no resource can take a holder: all " + totals.resources()
                                    + " are quarantined or draining");
            detail.put("status", unusable.getCode());
            return unusable;
        }
        detail.put("status", Status.UP.getCode());
        return Status.UP;
    }

    private static Status down(Map<String, Object> detail, String error) {
        detail.put("status", Status.DOWN.getCode());
        detail.put("error", error);
        return Status.DOWN;
    }

    /** Stops the reading threads. */
    @Override
    public void close() {
        reads.shutdownNow();
    }
}
