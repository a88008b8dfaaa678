package io.github.idallocator.spring;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.range.AllocatorHeartbeat;
import io.github.idallocator.range.AllocatorRecreation;
import io.github.idallocator.range.CreatorElection;
import io.github.idallocator.range.ForwardingIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Role;
import io.github.idallocator.range.RoleListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the heartbeats and cleanups of every allocator and the renewals of the Snowflake worker-id lease on a private
 * scheduler, fetches the segments of sequences in the background on a private pool, and releases on shutdown what this
 * instance holds. Events published while the application context is still being created wait until it first starts
 * ({@link #heldBackUntilStarted(ApplicationEventPublisher)}), so that {@code @EventListener} methods receive them.
 *
 * <p>The scheduler and the pool belong to this bean alone: they are never published as beans, so heartbeats run whether
 * or not the application uses {@code @EnableScheduling}, never run the application's {@code @Scheduled} jobs or
 * {@code @Async} methods, and a slow job of the application cannot delay them.
 *
 * <p>It starts and stops in phase {@link #PHASE}: after the Redis connection factory starts (phase 0) and before the web
 * server starts; on shutdown after the web server has stopped taking requests and before the Redis connection factory
 * stops. Stopping ends the heartbeats, renewals and background fetches, frees the Snowflake worker id (so the next
 * instance may take it at once), releases the creator role of every allocator (another instance takes it at its next
 * heartbeat) and frees the leases of this instance in allocators configured with {@code release-on-shutdown}. After
 * that, sequences fetch their segments on the calling thread.
 */
public final class IdAllocatorLifecycle implements SmartLifecycle {

    /** The phase: after the web server stops ({@code Integer.MAX_VALUE - 2048}), before Redis stops (0). */
    public static final int PHASE = Integer.MAX_VALUE - 4096;

    private static final Logger log = LoggerFactory.getLogger(IdAllocatorLifecycle.class);
    private static final int MAX_THREADS = 4;
    /** Threads of the pool that fetches sequence segments in the background. */
    private static final int PREFETCH_THREADS = 4;
    /** How long stopping waits for a heartbeat in flight, and then for the releases. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Tracked> allocators = new LinkedHashMap<>();
    private final Set<String> releaseOnShutdown;
    private final List<AllocatorHeartbeat> heartbeats = new ArrayList<>();
    private final @Nullable SnowflakeWorker snowflake;
    private final PrefetchExecutor prefetch = new PrefetchExecutor();
    /** Events held back until the first start; guarded by {@code this}. */
    private final List<HeldBackEvents> heldBack = new ArrayList<>();

    private boolean startedOnce;
    private @Nullable ScheduledThreadPoolExecutor scheduler;
    private volatile boolean running;

    /**
     * Creates the lifecycle; nothing runs before {@link #start()}.
     *
     * @param allocators the allocators to run heartbeats for
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     */
    public IdAllocatorLifecycle(IdAllocators allocators, Set<String> releaseOnShutdown) {
        this(allocators, releaseOnShutdown, null);
    }

    /**
     * Creates the lifecycle; nothing runs before {@link #start()}.
     *
     * @param allocators the allocators to run heartbeats for
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake worker whose lease to renew and release; {@code null} without one
     */
    public IdAllocatorLifecycle(
            IdAllocators allocators, Set<String> releaseOnShutdown, @Nullable SnowflakeWorker snowflake) {
        for (IdAllocator allocator : allocators.withInternal()) {
            this.allocators.put(allocator.name(), new Tracked(allocator));
        }
        this.releaseOnShutdown = Set.copyOf(releaseOnShutdown);
        this.snowflake = snowflake;
    }

    /**
     * Creates the lifecycle; nothing runs before {@link #start()}. When a heartbeat finds an allocator recreated in
     * Redis (Redis lost its data), an {@link IdAllocatorRecreatedEvent} is published.
     *
     * @param allocators the allocators to run heartbeats for
     * @param releaseOnShutdown names of the allocators whose leases held by this instance are freed on shutdown
     * @param snowflake the Snowflake worker whose lease to renew and release; {@code null} without one
     * @param publisher where the events go, usually the application context
     */
    public IdAllocatorLifecycle(
            IdAllocators allocators,
            Set<String> releaseOnShutdown,
            @Nullable SnowflakeWorker snowflake,
            ApplicationEventPublisher publisher) {
        this(allocators, releaseOnShutdown, snowflake);
        ApplicationEventPublisher events = heldBackUntilStarted(publisher);
        for (IdAllocator allocator : allocators.withInternal()) {
            allocator
                    .creatorElection()
                    .ifPresent(election -> election.addRecreationListener(
                            recreation -> events.publishEvent(new IdAllocatorRecreatedEvent(allocator, recreation))));
        }
    }

    @Override
    public void start() {
        List<HeldBackEvents> release;
        synchronized (this) {
            if (running) {
                return;
            }
            ScheduledThreadPoolExecutor executor = newScheduler(allocators.size() + (snowflake == null ? 0 : 1));
            for (Tracked allocator : allocators.values()) {
                if (allocator.creatorElection().isPresent()) {
                    heartbeats.add(AllocatorHeartbeat.start(allocator, executor));
                } else {
                    log.debug("Allocator '{}' takes part in no creator election: no heartbeat", allocator.name());
                }
            }
            prefetch.open();
            scheduler = executor;
            running = true;
            if (snowflake != null) {
                snowflake.start(executor);
            }
            startedOnce = true;
            release = new ArrayList<>(heldBack);
            heldBack.clear();
        }
        release.forEach(HeldBackEvents::release);
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
        prefetch.close();
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

    /**
     * Frees the Snowflake worker id, releases the creator role of every allocator, then the leases of those configured
     * with release-on-shutdown.
     */
    private void release(List<AllocatorHeartbeat> stopped) {
        if (snowflake != null) {
            try {
                snowflake.release();
            } catch (RuntimeException e) {
                log.warn("Could not release the Snowflake worker id on shutdown; it expires by itself", e);
            }
        }
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

    /**
     * The executor sequences fetch their next segment on: a pool of up to {@value #PREFETCH_THREADS} daemon threads
     * named {@code idallocator-prefetch-<n>}, started on first use. While the lifecycle is stopped, tasks run on the
     * calling thread instead.
     */
    public Executor prefetchExecutor() {
        return prefetch;
    }

    /**
     * A publisher that passes events on to {@code publisher}, holding back those published before this lifecycle first
     * starts until then: from then on every {@code ApplicationListener}, including {@code @EventListener} methods, is
     * registered.
     *
     * @param publisher where the events go, usually the application context
     * @return the publisher to hand to what publishes the events
     */
    public ApplicationEventPublisher heldBackUntilStarted(ApplicationEventPublisher publisher) {
        HeldBackEvents events = new HeldBackEvents(publisher);
        synchronized (this) {
            if (!startedOnce) {
                heldBack.add(events);
                return events;
            }
        }
        events.release();
        return events;
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
            if (freed > 0) {
                log.info(
                        "Released {} {} of allocator '{}' held by instance {} on shutdown",
                        freed,
                        freed == 1 ? "lease" : "leases",
                        allocator.name(),
                        allocator.instanceId());
            }
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
        public Optional<CreatorElection> creatorElection() {
            return super.creatorElection().map(TrackedElection::new);
        }

        /** The delegate's election, recording when a heartbeat last succeeded. */
        private final class TrackedElection implements CreatorElection {

            private final CreatorElection election;

            TrackedElection(CreatorElection election) {
                this.election = election;
            }

            @Override
            public Role role() {
                return election.role();
            }

            @Override
            public Role heartbeat() {
                Role role = election.heartbeat();
                lastSuccessNanos = System.nanoTime();
                return role;
            }

            @Override
            public void addRoleListener(RoleListener listener) {
                election.addRoleListener(listener);
            }

            @Override
            public void addRecreationListener(Consumer<AllocatorRecreation> listener) {
                election.addRecreationListener(listener);
            }

            @Override
            public void releaseCreatorRole() {
                election.releaseCreatorRole();
            }
        }
    }

    /** A lazily started pool for background fetches that runs tasks on the caller while closed. */
    private static final class PrefetchExecutor implements Executor {

        private final AtomicInteger threads = new AtomicInteger();
        private @Nullable ThreadPoolExecutor pool;
        private boolean open = true;

        @Override
        public void execute(Runnable task) {
            ThreadPoolExecutor current;
            synchronized (this) {
                if (open && pool == null) {
                    pool = newPool();
                }
                current = open ? pool : null;
            }
            if (current != null) {
                try {
                    current.execute(task);
                    return;
                } catch (RejectedExecutionException closing) {
                    // closed meanwhile: run it here, as after close
                }
            }
            task.run();
        }

        synchronized void open() {
            open = true;
        }

        void close() {
            ThreadPoolExecutor current;
            synchronized (this) {
                open = false;
                current = pool;
                pool = null;
            }
            if (current != null) {
                current.shutdown();
                try {
                    if (!current.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        log.warn("Sequence prefetches still running after {}; interrupting them", STOP_TIMEOUT);
                        current.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    current.shutdownNow();
                }
            }
        }

        private ThreadPoolExecutor newPool() {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(
                    PREFETCH_THREADS, PREFETCH_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "idallocator-prefetch-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
