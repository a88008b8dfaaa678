package io.github.idallocator.autoconfigure;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.AllocatorHeartbeat;
import io.github.idallocator.range.ForwardingIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the heartbeats and cleanups of every allocator on a private scheduler, and releases on shutdown what this
 * instance holds.
 *
 * <p>The scheduler belongs to this bean alone: it is never published as a bean, so heartbeats run whether or not the
 * application uses {@code @EnableScheduling}, never run the application's {@code @Scheduled} jobs, and a slow job of the
 * application cannot delay them.
 *
 * <p>It starts and stops in phase {@link #PHASE}: after the Redis connection factory starts (phase 0) and before the web
 * server starts; on shutdown after the web server has stopped taking requests and before the Redis connection factory
 * stops. Stopping ends the heartbeats, releases the creator role of every allocator (another instance takes it at its
 * next heartbeat) and frees the leases of this instance in allocators configured with {@code release-on-shutdown}.
 */
public final class IdAllocatorLifecycle implements SmartLifecycle {

    /** The phase: after the web server stops ({@code Integer.MAX_VALUE - 2048}), before Redis stops (0). */
    public static final int PHASE = Integer.MAX_VALUE - 4096;

    private static final Logger log = LoggerFactory.getLogger(IdAllocatorLifecycle.class);
    private static final int MAX_THREADS = 4;
    /** How long stopping waits for a heartbeat in flight, and then for the releases. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Tracked> allocators = new LinkedHashMap<>();
    private final Set<String> releaseOnShutdown;
    private final List<AllocatorHeartbeat> heartbeats = new ArrayList<>();
    private @Nullable ScheduledThreadPoolExecutor scheduler;
    private volatile boolean running;

    /**
     * Creates the lifecycle; nothing runs before {@link #start()}.
     *
     * @param allocators the allocators to run heartbeats for
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     */
    public IdAllocatorLifecycle(IdAllocators allocators, Set<String> releaseOnShutdown) {
        for (IdAllocator allocator : allocators) {
            this.allocators.put(allocator.name(), new Tracked(allocator));
        }
        this.releaseOnShutdown = Set.copyOf(releaseOnShutdown);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        ScheduledThreadPoolExecutor executor = newScheduler(allocators.size());
        for (Tracked allocator : allocators.values()) {
            heartbeats.add(AllocatorHeartbeat.start(allocator, executor));
        }
        scheduler = executor;
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        ScheduledThreadPoolExecutor executor = scheduler;
        scheduler = null;
        if (executor != null) {
            executor.shutdown();
            awaitTermination(executor);
        }
        List<AllocatorHeartbeat> stopped = new ArrayList<>(heartbeats);
        heartbeats.clear();
        Thread releaser = new Thread(() -> release(stopped), "idallocator-shutdown");
        releaser.setDaemon(true);
        releaser.start();
        try {
            releaser.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (releaser.isAlive()) {
            log.warn(
                    "Releasing the creator roles and leases of this instance took longer than {}; shutdown goes on and "
                            + "whatever was not released expires by itself (is spring.data.redis.timeout long?)",
                    STOP_TIMEOUT);
        }
    }

    /** Releases the creator role of every allocator, then the leases of those configured with release-on-shutdown. */
    private void release(List<AllocatorHeartbeat> stopped) {
        stopped.forEach(AllocatorHeartbeat::close);
        for (Tracked allocator : allocators.values()) {
            if (releaseOnShutdown.contains(allocator.name())) {
                freeAllOwned(allocator.delegate());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * How long ago this instance's last successful heartbeat of the allocator was (attaching the allocator at start-up
     * counts as one); empty for an allocator this lifecycle does not run.
     */
    public Optional<Duration> sinceLastHeartbeat(String allocator) {
        Tracked tracked = allocators.get(allocator);
        if (tracked == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(System.nanoTime() - tracked.lastSuccessNanos));
    }

    private static ScheduledThreadPoolExecutor newScheduler(int allocators) {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(Math.max(1, Math.min(MAX_THREADS, allocators)), task -> {
                    Thread thread = new Thread(task, "idallocator-heartbeat-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static void awaitTermination(ScheduledThreadPoolExecutor executor) {
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("idallocator heartbeats still running after {}; interrupting them", STOP_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private static void freeAllOwned(IdAllocator allocator) {
        try {
            long freed = allocator.freeAllOwned();
            log.info(
                    "Released {} leases of allocator '{}' held by instance {} on shutdown",
                    freed,
                    allocator.name(),
                    allocator.instanceId());
        } catch (IdAllocatorException | IllegalStateException e) {
            log.warn(
                    "Could not release the leases of allocator '{}' on shutdown; they expire by themselves: {}",
                    allocator.name(),
                    e.getMessage());
        }
    }

    /**
     * The allocator as the heartbeat sees it: records when a heartbeat last succeeded. Attaching an allocator runs a
     * heartbeat, so the time it is handed to the lifecycle (right after it was created) counts as the first one.
     */
    private static final class Tracked extends ForwardingIdAllocator {

        private volatile long lastSuccessNanos = System.nanoTime();

        Tracked(IdAllocator delegate) {
            super(delegate);
        }

        @Override
        public Role heartbeat() {
            Role role = super.heartbeat();
            lastSuccessNanos = System.nanoTime();
            return role;
        }
    }
}
