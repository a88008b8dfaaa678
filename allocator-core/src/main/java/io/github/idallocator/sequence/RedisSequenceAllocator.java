package io.github.idallocator.sequence;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.redis.KeyNames;
import io.github.idallocator.redis.ScriptRunner;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

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
 */
public final class RedisSequenceAllocator implements SequenceAllocator {

    private static final Logger log = LoggerFactory.getLogger(RedisSequenceAllocator.class);

    /** The largest step and block size: 10,000,000 ids. */
    public static final int MAX_STEP = 10_000_000;

    /** Segments used up faster than this make the step grow. */
    public static final Duration FAST_SEGMENT = Duration.ofSeconds(1);

    /** Segments that last longer than this make the step shrink. */
    public static final Duration SLOW_SEGMENT = Duration.ofSeconds(30);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> NEXT_SEGMENT =
            RedisScript.of(new ClassPathResource("io/github/idallocator/sequence/next_segment.lua"), List.class);

    private final SequenceConfig config;
    private final ScriptRunner runner;
    private final List<String> keys;
    private final Executor prefetchExecutor;
    private final List<Consumer<SequenceRepair>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong highWaterMark = new AtomicLong(-1);
    private final AtomicLong lastOfFinishedSegments = new AtomicLong(-1);
    private final LongAdder handedOutOfFinishedSegments = new LongAdder();
    private final LongAdder reserved = new LongAdder();
    private final LongAdder segments = new LongAdder();
    private final LongAdder repairs = new LongAdder();
    private volatile Segment current = Segment.EMPTY;
    private volatile @Nullable CompletableFuture<Segment> prefetch;
    private volatile int step;
    private volatile long lastRefillNanos;

    private RedisSequenceAllocator(StringRedisTemplate redis, SequenceConfig config, Executor prefetchExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        this.runner = new ScriptRunner(redis, "sequence '" + config.name() + "'");
        this.keys = List.of(KeyNames.of(config.keyPrefix(), config.name()).key("sequence"));
        this.prefetchExecutor = Objects.requireNonNull(prefetchExecutor, "prefetchExecutor");
        this.step = config.step();
    }

    /**
     * A sequence on the given connection factory, prefetching on a shared pool of daemon threads (reused, never one
     * thread per prefetch; the common fork-join pool would start a thread per task on machines with two cores).
     */
    public static RedisSequenceAllocator create(RedisConnectionFactory connectionFactory, SequenceConfig config) {
        return create(new StringRedisTemplate(connectionFactory), config, DefaultPrefetchPool.EXECUTOR);
    }

    /** A sequence on the given template, prefetching on the given executor. */
    public static RedisSequenceAllocator create(
            StringRedisTemplate redis, SequenceConfig config, Executor prefetchExecutor) {
        return new RedisSequenceAllocator(redis, config, prefetchExecutor);
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
            return handOut(fetch(1)).first;
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
                    "count " + count + " of sequence '" + name() + "' is out of range: use 1 to " + MAX_STEP);
        }
        if (config.strict() || count > step) {
            Segment own = fetch(count);
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

    /** Replaces an exhausted segment: with the prefetched one, else with one fetched now (one call for all waiters). */
    private synchronized void switchFrom(Segment exhausted) {
        if (current != exhausted) {
            return;
        }
        Segment next = null;
        CompletableFuture<Segment> pending = prefetch;
        if (pending != null) {
            try {
                next = pending.join();
            } catch (CompletionException e) {
                log.debug("Prefetch of sequence '{}' failed; fetching now", name(), e.getCause());
            }
            prefetch = null;
        }
        if (next == null) {
            adaptStep(exhausted);
            next = fetch(step);
        }
        finished(exhausted, exhausted.handedOut());
        current = next;
    }

    private void startPrefetch() {
        synchronized (this) {
            if (prefetch != null) {
                return;
            }
            adaptStep(current);
            int size = step;
            try {
                prefetch = CompletableFuture.supplyAsync(() -> fetch(size), prefetchExecutor);
            } catch (RejectedExecutionException e) {
                log.debug("Prefetch of sequence '{}' was rejected by its executor; fetching when needed", name());
            }
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

    /** One Redis call: a segment of {@code size} ids above this instance's floor. */
    private Segment fetch(int size) {
        long seen = highWaterMark.get();
        if (seen == Long.MAX_VALUE) {
            throw exhausted(size);
        }
        long floor = Math.max(config.floor(), seen + 1);
        long gap = seen >= 0 ? config.repairGap() : 0;
        long started = System.nanoTime();
        List<Object> reply;
        try {
            reply = runner.list(
                    NEXT_SEGMENT,
                    keys,
                    Integer.toString(size),
                    Long.toString(floor),
                    Long.toString(config.initialValue()),
                    Long.toString(gap));
        } catch (IdAllocatorException e) {
            if (e.getMessage() != null && e.getMessage().contains("IDALLOC_SEQUENCE_EXHAUSTED")) {
                throw exhausted(size);
            }
            throw e;
        }
        lastRefillNanos = System.nanoTime() - started;
        long first = Long.parseLong(reply.get(0).toString());
        long last = Long.parseLong(reply.get(1).toString());
        if (first < floor) {
            throw new IdAllocatorException("Redis granted sequence '" + name() + "' the segment [" + first + ", " + last
                    + "] below this instance's floor " + floor + "; refusing it");
        }
        highWaterMark.accumulateAndGet(last, Math::max);
        segments.increment();
        reserved.add(last - first + 1);
        if (Long.parseLong(reply.get(2).toString()) == 1) {
            reportRepair(new SequenceRepair(name(), floor, first, seen >= 0));
        }
        long prefetchAt = Math.max(1, (long) ((last - first + 1) * config.prefetchThreshold()));
        return new Segment(first, last, prefetchAt);
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
        return new IdsExhaustedException("Sequence '" + name() + "' cannot grant " + size + " more ids: it would pass "
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

    /** A granted segment: ids {@code [first, last]}, the next one to hand out, and when to prefetch. */
    private static final class Segment {
        static final Segment EMPTY = new Segment(0, -1, 0);

        final long first;
        final long last;
        final long prefetchAt;
        final long grantedNanos = System.nanoTime();
        final AtomicLong next;
        volatile long skipped;

        Segment(long first, long last, long prefetchAt) {
            this.first = first;
            this.last = last;
            this.prefetchAt = prefetchAt;
            this.next = new AtomicLong(first);
        }

        /** Ids handed out from this segment: those below the cursor, less a skipped remainder. */
        long handedOut() {
            long cursor = next.get();
            long used = cursor < first || cursor > last ? last - first + 1 : cursor - first;
            return Math.max(0, used - skipped);
        }
    }
}
