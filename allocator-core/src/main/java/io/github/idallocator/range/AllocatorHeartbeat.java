package io.github.idallocator.range;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.NotCreatorException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one allocator's creator protocol: a heartbeat every {@code heartbeatInterval} (renew the creator lease, or take
 * it when nobody holds it) and, while this instance is the creator, a cleanup every {@code cleanupInterval}. Failures
 * are logged, never thrown: the next tick tries again. {@link #close()} stops the ticks and releases the creator role.
 */
public final class AllocatorHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AllocatorHeartbeat.class);

    private final IdAllocator allocator;
    private final CreatorElection election;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private @Nullable ScheduledFuture<?> heartbeats;
    private @Nullable ScheduledFuture<?> cleanups;
    private final Object tickLock = new Object();
    private volatile boolean failing;
    private boolean closed;

    private AllocatorHeartbeat(IdAllocator allocator, ScheduledExecutorService scheduler, boolean ownsScheduler) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.election = electionOf(allocator);
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    /**
     * Starts ticking on the given scheduler (which stays the caller's to shut down).
     *
     * @throws IllegalArgumentException when the allocator has no {@link IdAllocator#creatorElection()}
     */
    public static AllocatorHeartbeat start(IdAllocator allocator, ScheduledExecutorService scheduler) {
        AllocatorHeartbeat heartbeat = new AllocatorHeartbeat(allocator, scheduler, false);
        heartbeat.schedule();
        return heartbeat;
    }

    /**
     * Starts ticking on a private daemon thread, stopped by {@link #close()}.
     *
     * @throws IllegalArgumentException when the allocator has no {@link IdAllocator#creatorElection()}
     */
    public static AllocatorHeartbeat start(IdAllocator allocator) {
        electionOf(allocator);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idallocator-heartbeat-" + allocator.name());
            t.setDaemon(true);
            return t;
        });
        AllocatorHeartbeat heartbeat = new AllocatorHeartbeat(allocator, scheduler, true);
        heartbeat.schedule();
        return heartbeat;
    }

    private static CreatorElection electionOf(IdAllocator allocator) {
        return allocator
                .creatorElection()
                .orElseThrow(() -> new IllegalArgumentException("Allocator '" + allocator.name() + "' (" + allocator
                        + ") has no creator election to drive: heartbeats need an allocator that takes part in one, "
                        + "such as RedisIdAllocator (a decorator must forward creatorElection())"));
    }

    private synchronized void schedule() {
        long beat = allocator.config().heartbeatInterval().toMillis();
        long clean = allocator.config().cleanupInterval().toMillis();
        heartbeats = scheduler.scheduleWithFixedDelay(this::beat, 0, beat, TimeUnit.MILLISECONDS);
        cleanups = scheduler.scheduleWithFixedDelay(this::clean, clean, clean, TimeUnit.MILLISECONDS);
    }

    /** One heartbeat now; what the schedule runs. Does nothing once closed. */
    void beat() {
        synchronized (tickLock) {
            if (!closed) {
                beatNow();
            }
        }
    }

    private void beatNow() {
        try {
            election.heartbeat();
            if (failing) {
                failing = false;
                log.info("Heartbeat of allocator '{}' works again", allocator.name());
            }
        } catch (IdAllocatorException | IllegalStateException e) {
            if (!failing) {
                failing = true;
                log.warn(
                        "Heartbeat of allocator '{}' failed; retrying every {}: {}",
                        allocator.name(),
                        allocator.config().heartbeatInterval(),
                        e.getMessage());
            }
        }
    }

    /** One cleanup now if this instance is the creator; what the schedule runs. Does nothing once closed. */
    void clean() {
        synchronized (tickLock) {
            if (!closed && election.role() == Role.CREATOR) {
                cleanNow();
            }
        }
    }

    private void cleanNow() {
        try {
            allocator.cleanupExpired();
        } catch (NotCreatorException e) {
            log.debug("Cleanup of allocator '{}' skipped: {}", allocator.name(), e.getMessage());
        } catch (IdAllocatorException | IllegalStateException e) {
            log.warn("Cleanup of allocator '{}' failed: {}", allocator.name(), e.getMessage());
        }
    }

    /** Stops the ticks (waiting for one in flight) and releases the creator role. */
    @Override
    public synchronized void close() {
        synchronized (tickLock) {
            closed = true;
        }
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        if (cleanups != null) {
            cleanups.cancel(false);
            cleanups = null;
        }
        if (ownsScheduler) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            election.releaseCreatorRole();
        } catch (IdAllocatorException | IllegalStateException e) {
            log.warn("Could not release the creator role of allocator '{}': {}", allocator.name(), e.getMessage());
        }
    }
}
