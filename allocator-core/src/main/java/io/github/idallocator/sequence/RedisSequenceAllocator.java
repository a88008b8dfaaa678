package io.github.idallocator.sequence;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.RedisUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link SequenceAllocator} on Redis. Ids come from a local segment granted by one atomic script ({@code
 * next_segment.lua}); the next segment is fetched in the background when {@code prefetchThreshold} of the current one
 * is left, so in steady state no caller waits for Redis. When a segment runs out, one Redis call serves all waiting
 * threads. The step doubles (up to {@code maxStep}) while segments last less than {@link #FAST_SEGMENT} and halves
 * (down to {@code step}) while they last longer than {@link #SLOW_SEGMENT}.
 *
 * <p>Every fetch sends this instance's floor (its high-water mark + 1, at least the configured floor): the script never
 * grants ids below it. When Redis lost the counter, the script moves it to the floor plus {@code repairGap} and the
 * repair is logged and published to listeners.
 *
 * <p>With a {@linkplain SequenceConfig#recoveryPeriod() recovery period} (the default), a new instance (one not yet
 * granted a segment) is refused with {@link RecoveringException} while the sequence in Redis is younger than that period
 * (new, or lost with Redis data); a running instance re-registers its high-water mark every quarter of the period
 * ({@code register.lua}, on a scheduler), and stops handing out ids from the segments it holds when its last
 * confirmation by Redis is older than two thirds of the period. {@link #close()} ends that background work.
 *
 * <p>No call waits for Redis longer than one Redis call (bounded by the client's timeouts): threads that need a segment
 * while one is being fetched wait for that fetch instead of starting their own, and after a fetch failed because Redis
 * is unavailable, calls fail at once with {@link RedisUnavailableException} for as long as that fetch took.
 */
public final class RedisSequenceAllocator implements SequenceAllocator, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisSequenceAllocator.class);

    /** The largest step and block size: 10,000,000 ids. */
    public static final int MAX_STEP = 10_000_000;

    /** Segments used up faster than this make the step grow. */
    public static final Duration FAST_SEGMENT = Duration.ofSeconds(1);

    /** Segments that last longer than this make the step shrink. */
    public static final Duration SLOW_SEGMENT = Duration.ofSeconds(30);

    private final SequenceConfig config;
    private final SequenceScripts scripts;
    private final Executor prefetchExecutor;
    private final ScheduledExecutorService scheduler;
    private final List<Consumer<SequenceRepair>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong highWaterMark = new AtomicLong(-1);
    private final AtomicLong lastOfFinishedSegments = new AtomicLong(-1);
    private final LongAdder handedOutOfFinishedSegments = new LongAdder();
    private final LongAdder reserved = new LongAdder();
    private final LongAdder segments = new LongAdder();
    private final LongAdder repairs = new LongAdder();
    /** Guards {@link #ready}, {@link #inFlight}, {@link #maintenance} and every change of {@link #current}. */
    private final Object lock = new Object();
    /** The recovery period, the lease of this instance's segments and the re-registration interval; 0: off. */
    private final long recoveryNanos;

    private final long leaseNanos;
    private final long registerEveryNanos;
    /** When the last call that confirmed this instance's high-water mark with Redis was sent (a grant or register). */
    private final AtomicLong confirmedNanos = new AtomicLong(System.nanoTime());

    private final AtomicBoolean registering = new AtomicBoolean();
    private volatile Segment current = Segment.EMPTY;
    /** A segment fetched ahead, used when the current one runs out. */
    private @Nullable Segment ready;
    /** The one fetch of a segment under way (a prefetch or a fetch on demand), if any. */
    private @Nullable Fetch inFlight;

    private volatile @Nullable ScheduledFuture<?> maintenance;
    /** The last fetch that failed as retryable, and until when calls fail at once with it. */
    private volatile @Nullable Failure failure;

    private volatile boolean closed;
    private volatile int step;
    private volatile long lastRefillNanos;

    private RedisSequenceAllocator(
            StringRedisTemplate redis,
            SequenceConfig config,
            Executor prefetchExecutor,
            ScheduledExecutorService scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.scripts = new SequenceScripts(redis, config);
        this.prefetchExecutor = Objects.requireNonNull(prefetchExecutor, "prefetchExecutor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.step = config.step();
        this.recoveryNanos = config.recoveryPeriod().toNanos();
        this.leaseNanos = recoveryNanos / 3 * 2;
        this.registerEveryNanos = recoveryNanos / 4;
    }

    /**
     * A sequence on the given connection factory, prefetching on a shared pool of daemon threads (reused, never one
     * thread per prefetch; the common fork-join pool would start a thread per task on machines with two cores) and
     * keeping its lease on a shared daemon scheduler thread. {@link #close()} it when done.
     */
    public static RedisSequenceAllocator create(RedisConnectionFactory connectionFactory, SequenceConfig config) {
        return create(new StringRedisTemplate(connectionFactory), config, DefaultPrefetchPool.EXECUTOR);
    }

    /** A sequence on the given template, prefetching on the given executor; its lease kept on the shared scheduler. */
    public static RedisSequenceAllocator create(
            StringRedisTemplate redis, SequenceConfig config, Executor prefetchExecutor) {
        return create(redis, config, prefetchExecutor, DefaultScheduler.EXECUTOR);
    }

    /**
     * A sequence on the given template, prefetching and re-registering on the given executor and checking its lease on
     * the given scheduler (only cheap checks run there: no Redis call). Nothing is scheduled before the first segment
     * is granted, nor with a zero recovery period; {@link #close()} cancels what was.
     */
    public static RedisSequenceAllocator create(
            StringRedisTemplate redis,
            SequenceConfig config,
            Executor prefetchExecutor,
            ScheduledExecutorService scheduler) {
        return new RedisSequenceAllocator(redis, config, prefetchExecutor, scheduler);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The configuration this sequence was created with. */
    public SequenceConfig config() {
        return config;
    }

    @Override
    public long next() {
        if (config.strict()) {
            return handOut(fetchNow(1)).first;
        }
        while (true) {
            Segment s = current;
            long id = s.next.getAndIncrement();
            if (id >= s.first && id <= s.last) {
                if (s.last - id == s.prefetchAt) {
                    startPrefetch();
                }
                return id;
            }
            switchFrom(s);
        }
    }

    @Override
    public IdBlock next(int count) {
        if (count < 1 || count > MAX_STEP) {
            throw new InvalidArgumentException(
                    "count",
                    count,
                    "count " + count + " of sequence '" + name() + "' is out of range",
                    "use 1 to " + MAX_STEP);
        }
        if (config.strict() || count > step) {
            Segment own = fetchNow(count);
            if (own.last - own.first + 1 < count) {
                throw exhausted(count);
            }
            handOut(own);
            return new IdBlock(own.first, own.last);
        }
        while (true) {
            Segment s = current;
            long start = s.next.get();
            if (start < s.first || start > s.last) {
                switchFrom(s);
                continue;
            }
            if (s.last - start + 1 < count) {
                if (s.next.compareAndSet(start, s.last + 1 < s.last ? Long.MIN_VALUE : s.last + 1)) {
                    s.skipped = s.last - start + 1;
                }
                continue;
            }
            long end = start + count - 1;
            if (s.next.compareAndSet(start, end + 1 < end ? Long.MIN_VALUE : end + 1)) {
                if (s.last - end <= s.prefetchAt) {
                    startPrefetch();
                }
                return new IdBlock(start, end);
            }
        }
    }

    @Override
    public SequenceStats stats() {
        Segment s = current;
        long inCurrent = s.handedOut();
        long last = inCurrent > 0 ? s.first + inCurrent - 1 : lastOfFinishedSegments.get();
        return new SequenceStats(
                name(),
                Math.max(last, lastOfFinishedSegments.get()),
                highWaterMark.get(),
                step,
                segments.sum(),
                reserved.sum(),
                handedOutOfFinishedSegments.sum() + inCurrent,
                repairs.sum(),
                Duration.ofNanos(lastRefillNanos),
                config.strict());
    }

    @Override
    public void addRepairListener(Consumer<SequenceRepair> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops the background re-registration and lease checks and drops the segments this instance holds (they are no
     * longer leased); later calls throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        ScheduledFuture<?> task;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            task = maintenance;
            maintenance = null;
        }
        if (task != null) {
            task.cancel(false);
        }
        revoke(null);
    }

    private Segment handOut(Segment whole) {
        finished(whole, whole.last - whole.first + 1);
        return whole;
    }

    /** Moves a segment's counts into the totals of finished segments. */
    private void finished(Segment segment, long handedOut) {
        if (handedOut > 0) {
            handedOutOfFinishedSegments.add(handedOut);
            lastOfFinishedSegments.accumulateAndGet(segment.first + handedOut - 1, Math::max);
        }
    }

    /**
     * Replaces an exhausted segment: with the one fetched ahead, else with the one being fetched (waiting for that
     * fetch, never starting a second one), else with one fetched now on this thread. A failed fetch fails every call
     * that waited for it.
     */
    private void switchFrom(Segment exhausted) {
        while (true) {
            Fetch pending;
            synchronized (lock) {
                if (current != exhausted) {
                    return;
                }
                if (closed) {
                    throw closedException();
                }
                if (ready != null && leaseExpired(System.nanoTime())) {
                    log.warn(
                            "Sequence '{}' drops its segment fetched ahead {}: not confirmed by Redis for {}",
                            name(),
                            ready,
                            since(confirmedNanos.get()));
                    ready = null;
                }
                Segment next = ready;
                if (next != null) {
                    ready = null;
                    finished(exhausted, exhausted.handedOut());
                    current = next;
                    return;
                }
                if (inFlight == null) {
                    throwIfFailing();
                    adaptStep(exhausted);
                    inFlight = new Fetch(step);
                }
                pending = inFlight;
            }
            boolean mine = pending.runIfUnclaimed();
            try {
                pending.done.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                Throwable failed = cause != null ? cause : e;
                throw mine ? asRuntime(failed) : forWaiter(failed);
            }
        }
    }

    private void startPrefetch() {
        Fetch prefetch;
        synchronized (lock) {
            if (closed || ready != null || inFlight != null || isFailing()) {
                return;
            }
            adaptStep(current);
            prefetch = new Fetch(step);
            inFlight = prefetch;
        }
        try {
            prefetchExecutor.execute(prefetch::runIfUnclaimed);
        } catch (RejectedExecutionException e) {
            log.debug("Prefetch of sequence '{}' was rejected by its executor; fetching when needed", name());
        }
    }

    private void adaptStep(Segment finished) {
        if (finished == Segment.EMPTY || config.maxStep() == config.step()) {
            return;
        }
        long lasted = System.nanoTime() - finished.grantedNanos;
        if (lasted < FAST_SEGMENT.toNanos() && step < config.maxStep()) {
            step = (int) Math.min((long) step * 2, config.maxStep());
        } else if (lasted > SLOW_SEGMENT.toNanos() && step > config.step()) {
            step = Math.max(step / 2, config.step());
        }
    }

    /** A segment of {@code size} ids for this call alone (strict mode, large blocks): one Redis call. */
    private Segment fetchNow(int size) {
        if (closed) {
            throw closedException();
        }
        throwIfFailing();
        return grant(size);
    }

    /** One Redis call: a segment of {@code size} ids above this instance's floor. */
    private Segment grant(int size) {
        long seen = highWaterMark.get();
        if (seen == Long.MAX_VALUE) {
            throw exhausted(size);
        }
        long floor = Math.max(config.floor(), seen + 1);
        long gap = seen >= 0 ? config.repairGap() : 0;
        long sent = System.nanoTime();
        SequenceScripts.SegmentReply reply;
        try {
            reply = scripts.nextSegment(size, floor, gap, seen < 0);
        } catch (IdAllocatorException e) {
            if (e.isRetryable()) {
                long now = System.nanoTime();
                failure = new Failure(e, now, now + (now - sent));
            }
            throw e;
        }
        long now = System.nanoTime();
        if (reply.recovering()) {
            Duration retryAfter = Duration.ofMillis(reply.retryAfterMs());
            RecoveringException refused = recovering(retryAfter);
            failure = new Failure(refused, now, now + retryAfter.toNanos());
            throw refused;
        }
        failure = null;
        lastRefillNanos = now - sent;
        long first = reply.first();
        long last = reply.last();
        if (first < floor) {
            throw new IdAllocatorException("Redis granted sequence '" + name() + "' the segment [" + first + ", " + last
                    + "] below this instance's floor " + floor + "; refusing it");
        }
        highWaterMark.accumulateAndGet(last, Math::max);
        segments.increment();
        reserved.add(last - first + 1);
        confirmed(sent);
        if (reply.repaired()) {
            reportRepair(new SequenceRepair(name(), floor, first, seen >= 0));
        }
        if (recoveryNanos > 0 && now - sent > leaseNanos) {
            throw new RedisUnavailableException("Redis took " + Duration.ofNanos(now - sent) + " to grant sequence '"
                    + name() + "' the segment [" + first + ", " + last + "], longer than its lease ("
                    + Duration.ofNanos(leaseNanos) + ", two thirds of recoveryPeriod): the segment is not used");
        }
        long prefetchAt = Math.max(1, (long) ((last - first + 1) * config.prefetchThreshold()));
        return new Segment(first, last, prefetchAt);
    }

    /**
     * Records a call that confirmed this instance's high-water mark, sent at {@code sent}; the first one starts the
     * background re-registration and lease checks.
     */
    private void confirmed(long sent) {
        confirmedNanos.accumulateAndGet(sent, (a, b) -> b - a > 0 ? b : a);
        if (recoveryNanos > 0 && maintenance == null) {
            synchronized (lock) {
                if (!closed && maintenance == null) {
                    long tick = Math.max(
                            TimeUnit.MILLISECONDS.toNanos(10),
                            Math.min(recoveryNanos / 10, TimeUnit.SECONDS.toNanos(1)));
                    maintenance = scheduler.scheduleWithFixedDelay(this::maintain, tick, tick, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    private boolean leaseExpired(long now) {
        return recoveryNanos > 0 && now - confirmedNanos.get() > leaseNanos;
    }

    /**
     * The periodic task (on the scheduler, no Redis call here): drops the segments when the lease ran out, and starts a
     * re-registration on the prefetch executor when the last confirmation is a quarter of the recovery period old.
     */
    private void maintain() {
        try {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            if (leaseExpired(now)) {
                revoke("not confirmed by Redis for " + since(confirmedNanos.get()) + " (lease "
                        + Duration.ofNanos(leaseNanos) + ", two thirds of recoveryPeriod " + config.recoveryPeriod()
                        + ")");
            }
            if (now - confirmedNanos.get() >= registerEveryNanos && registering.compareAndSet(false, true)) {
                try {
                    prefetchExecutor.execute(this::register);
                } catch (RejectedExecutionException e) {
                    register();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Background lease check of sequence '{}' failed", name(), e);
        }
    }

    /**
     * Makes sure no segment held by this instance is handed out from any more: the current one's cursor is moved past
     * its end (a thread that read it before gets an id out of range and switches), the one fetched ahead is dropped.
     *
     * @param why logged as a warning when something was dropped; {@code null} on close
     */
    private void revoke(@Nullable String why) {
        Segment dropped;
        boolean droppedReady;
        synchronized (lock) {
            droppedReady = ready != null;
            ready = null;
            dropped = current;
            if (dropped != Segment.EMPTY) {
                dropped.stop();
                finished(dropped, dropped.handedOut());
                current = Segment.EMPTY;
            }
        }
        boolean anyLeft = dropped != Segment.EMPTY && dropped.handedOut() < dropped.last - dropped.first + 1;
        if (why != null && (anyLeft || droppedReady)) {
            log.warn(
                    "Sequence '{}' stops handing out ids from its segment {}{}: {}. The next call fetches a new "
                            + "segment (Redis may have lost data meanwhile and granted these ids to a new instance)",
                    name(),
                    dropped,
                    droppedReady ? " and the one fetched ahead" : "",
                    why);
        }
    }

    /** Confirms this instance's high-water mark with Redis (register.lua); runs on the prefetch executor. */
    private void register() {
        try {
            long seen = highWaterMark.get();
            if (closed || seen < 0) {
                return;
            }
            long sent = System.nanoTime();
            SequenceScripts.RegisterReply reply = scripts.register(seen);
            confirmed(sent);
            if (reply.repaired()) {
                long lowest = seen == Long.MAX_VALUE ? Long.MAX_VALUE : seen + 1;
                reportRepair(new SequenceRepair(name(), lowest, reply.counter(), true));
            }
        } catch (IdAllocatorException e) {
            log.debug("Sequence '{}' could not re-register with Redis: {}", name(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Sequence '{}' could not re-register with Redis", name(), e);
        } finally {
            registering.set(false);
        }
    }

    private boolean isFailing() {
        Failure f = failure;
        return f != null && f.untilNanos - System.nanoTime() > 0;
    }

    /** Fails at once while the last fetch failed as retryable less than its own duration (or retryAfter) ago. */
    private void throwIfFailing() {
        Failure f = failure;
        if (f == null) {
            return;
        }
        long now = System.nanoTime();
        long left = f.untilNanos - now;
        if (left <= 0) {
            return;
        }
        if (f.cause instanceof RecoveringException) {
            throw recovering(Duration.ofNanos(left));
        }
        throw new RedisUnavailableException(
                "Redis is unavailable for sequence '" + name() + "': a fetch failed "
                        + Duration.ofNanos(now - f.atNanos) + " ago and is not tried again for "
                        + Duration.ofNanos(left) + ": " + f.cause.getMessage(),
                f.cause);
    }

    /** The exception for a thread that waited for a fetch another thread made: its own, of the same type. */
    private RuntimeException forWaiter(Throwable failed) {
        if (failed instanceof RecoveringException refused) {
            return recovering(refused.retryAfter());
        }
        if (failed instanceof RedisUnavailableException unavailable) {
            return new RedisUnavailableException(
                    "Redis is unavailable for sequence '" + name() + "': the fetch this call waited for failed: "
                            + unavailable.getMessage(),
                    unavailable);
        }
        return asRuntime(failed);
    }

    private static RuntimeException asRuntime(Throwable failed) {
        if (failed instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        return new IdAllocatorException(failed.toString(), failed);
    }

    private RecoveringException recovering(Duration retryAfter) {
        return new RecoveringException(
                "Sequence '" + name() + "' is recovering: Redis lost it (or it is new) less than its recovery period "
                        + config.recoveryPeriod() + " ago, and this instance has no segment yet; running instances "
                        + "re-register the ids they hold meanwhile. Retry after " + retryAfter + ".",
                retryAfter);
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("Sequence '" + name() + "' is closed");
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private void reportRepair(SequenceRepair repair) {
        repairs.increment();
        if (repair.dataLoss()) {
            log.warn(
                    "Sequence '{}' in Redis was below ids this instance had already seen (Redis lost data?): refused "
                            + "it and moved the counter to {} (floor {} + repair gap {})",
                    name(),
                    repair.newFirst(),
                    repair.floor(),
                    config.repairGap());
        } else {
            log.info("Sequence '{}' in Redis was below the configured floor {}: moved it up", name(), repair.floor());
        }
        for (Consumer<SequenceRepair> listener : listeners) {
            try {
                listener.accept(repair);
            } catch (RuntimeException e) {
                log.warn("Sequence repair listener {} failed", listener, e);
            }
        }
    }

    private IdsExhaustedException exhausted(int size) {
        return exhausted(name(), size);
    }

    /** No id is left for a segment of {@code size} ids of sequence {@code name}. */
    static IdsExhaustedException exhausted(String name, long size) {
        return new IdsExhaustedException("Sequence '" + name + "' cannot grant " + size + " more ids: it would pass "
                + Long.MAX_VALUE + " (2^63 - 1). Start a new sequence.");
    }

    /** The default prefetch executor, created on first use: daemon threads, reused, idle ones ended after 60 s. */
    private static final class DefaultPrefetchPool {
        static final Executor EXECUTOR = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "idallocator-sequence-prefetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The default scheduler of lease checks, created on first use: one daemon thread shared by all sequences. */
    private static final class DefaultScheduler {
        static final ScheduledExecutorService EXECUTOR = newScheduler();

        private static ScheduledExecutorService newScheduler() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "idallocator-sequence-lease");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }

    /** A retryable failure of a fetch at {@code atNanos}; calls fail at once with it until {@code untilNanos}. */
    private record Failure(IdAllocatorException cause, long atNanos, long untilNanos) {}

    /**
     * One fetch of a segment of {@code size} ids: run once, by the prefetch executor or by the first caller that needs
     * it before the executor started it (so no caller waits behind a queue of the executor).
     */
    private final class Fetch {
        final int size;
        final CompletableFuture<Segment> done = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();

        Fetch(int size) {
            this.size = size;
        }

        /** Runs the fetch on this thread unless another thread started it; true when this thread ran it. */
        boolean runIfUnclaimed() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            Segment granted = null;
            Throwable error = null;
            try {
                granted = grant(size);
            } catch (Throwable e) { // an Error too: waiters must not wait forever for a fetch that died
                error = e;
            }
            synchronized (lock) {
                if (inFlight == this) {
                    inFlight = null;
                }
                if (granted != null && !closed) {
                    ready = granted;
                }
            }
            if (error != null) {
                done.completeExceptionally(error);
                if (error instanceof Error fatal) {
                    throw fatal;
                }
            } else {
                done.complete(granted);
            }
            return true;
        }
    }

    /** A granted segment: ids {@code [first, last]}, the next one to hand out, and when to prefetch. */
    private static final class Segment {
        static final Segment EMPTY = new Segment(0, -1, 0);

        final long first;
        final long last;
        final long prefetchAt;
        final long grantedNanos = System.nanoTime();
        final AtomicLong next;
        volatile long skipped;
        /** The cursor when the segment was stopped (its lease ran out); {@code Long.MIN_VALUE} while in use. */
        private volatile long stoppedAt = Long.MIN_VALUE;

        private volatile boolean stopped;

        Segment(long first, long last, long prefetchAt) {
            this.first = first;
            this.last = last;
            this.prefetchAt = prefetchAt;
            this.next = new AtomicLong(first);
        }

        /** No id is handed out from this segment any more: callers that still read it find it used up. */
        void stop() {
            if (!stopped) {
                stoppedAt = next.getAndSet(Long.MIN_VALUE);
                stopped = true;
            }
        }

        /** Ids handed out from this segment: those below the cursor, less a skipped remainder. */
        long handedOut() {
            long cursor = stopped ? stoppedAt : next.get();
            long used = cursor < first || cursor > last ? last - first + 1 : cursor - first;
            return Math.max(0, used - skipped);
        }

        @Override
        public String toString() {
            return "[" + first + ", " + last + "]";
        }
    }
}
