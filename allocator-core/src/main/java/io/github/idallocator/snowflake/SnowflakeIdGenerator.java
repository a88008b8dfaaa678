package io.github.idallocator.snowflake;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates Snowflake ids locally: {@code [time | worker id | sequence]} per {@link SnowflakeLayout}. Thread-safe and
 * lock-free (one compare-and-set per id, or per block of ids in {@link #nextIds(int)}).
 *
 * <p>Ids are issued only under a {@link #grant(long, long, boolean) worker grant}: a worker id and the local monotonic
 * deadline until which the holder can prove it holds that id. Past the deadline {@link #nextId()} throws {@link
 * WorkerLeaseLostException} instead of risking an id another process may issue too. {@link WorkerIdLease} keeps the
 * grant renewed from a Redis lease.
 *
 * <p>Within one generator the pair (tick, sequence) strictly increases across all issued ids, whatever the worker id:
 * when the sequence of a tick runs out the generator waits for the next tick (it never spills into other bits); when
 * the wall clock goes back, it waits up to the configured tolerance for the clock to catch up and throws {@link
 * ClockMovedBackwardsException} beyond it.
 */
public final class SnowflakeIdGenerator {

    private static final Logger log = LoggerFactory.getLogger(SnowflakeIdGenerator.class);

    /** Default tolerance for a wall clock that moved back: 5 ms. */
    public static final Duration DEFAULT_CLOCK_BACKWARDS_TOLERANCE = Duration.ofMillis(5);

    /** The largest tolerance for a wall clock that moved back: 10 s (callers of {@link #nextId()} block that long). */
    public static final Duration MAX_CLOCK_BACKWARDS_TOLERANCE = Duration.ofSeconds(10);

    private final SnowflakeLayout layout;
    private final LongSupplier wallClockMillis;
    private final LongSupplier monotonicNanos;
    private final long toleranceMillis;
    private final int sequenceBits;
    private final int workerShift;
    private final int timeShift;
    private final long sequenceMask;
    private final AtomicLong last = new AtomicLong(-1);
    private final LongAdder issued = new LongAdder();
    private final LongAdder clockBackwardsWaits = new LongAdder();
    private final LongAdder clockBackwardsFailures = new LongAdder();
    private final LongAdder leaseLostRejections = new LongAdder();
    private volatile @Nullable Grant grant;

    private SnowflakeIdGenerator(Builder builder) {
        this.layout = builder.layout;
        this.wallClockMillis = builder.wallClockMillis;
        this.monotonicNanos = builder.monotonicNanos;
        this.toleranceMillis = builder.clockBackwardsTolerance.toMillis();
        this.sequenceBits = layout.sequenceBits();
        this.workerShift = sequenceBits;
        this.timeShift = layout.workerBits() + sequenceBits;
        this.sequenceMask = layout.maxSequence();
        log.info(
                "Snowflake layout {}/{}/{} (time/worker/sequence bits), tick {}, epoch {}: ids run out of time bits on {}",
                layout.timeBits(),
                layout.workerBits(),
                layout.sequenceBits(),
                layout.tick(),
                layout.epoch(),
                layout.exhaustedAt());
    }

    /** A builder for a generator with the given layout; the clocks default to the system's. */
    public static Builder builder(SnowflakeLayout layout) {
        return new Builder(layout);
    }

    /** The layout ids are built with. */
    public SnowflakeLayout layout() {
        return layout;
    }

    /**
     * Lets the generator issue ids with {@code workerId} until the monotonic clock passes {@code validUntilNanos} (when
     * {@code expires}), with no bound on their timestamps. Issued ids keep increasing: a new grant never makes (tick,
     * sequence) go back.
     */
    public void grant(long workerId, long validUntilNanos, boolean expires) {
        requireWorkerId(workerId);
        grant = new Grant(workerId, validUntilNanos, expires, Long.MAX_VALUE);
    }

    /**
     * Lets the generator issue ids with {@code workerId} until the monotonic clock passes {@code validUntilNanos}, and
     * only with timestamps up to {@code latestMillis} (epoch milliseconds): the latest timestamp the lease behind the
     * grant allows, as stored for the worker id's next holder, who issues ids only after it. However long a thread is
     * suspended anywhere in {@link #nextId()}, no id it returns carries a later timestamp.
     */
    public void grant(long workerId, long validUntilNanos, long latestMillis) {
        requireWorkerId(workerId);
        long latestTick = layout.tickOf(latestMillis);
        grant = new Grant(workerId, validUntilNanos, true, latestTick);
    }

    /** Makes sure no id of this generator falls in a tick at or before {@code epochMillis} (a predecessor's last). */
    public void issueAfter(long epochMillis) {
        long floor = (layout.tickOf(epochMillis) << sequenceBits) | sequenceMask;
        last.accumulateAndGet(floor, Math::max);
    }

    /**
     * Withdraws the grant: {@link #nextId()} throws {@link WorkerLeaseLostException} until the next grant. Once this
     * returns, {@link #lastIssuedMillis()} covers every id issued under the old grant, including ids of threads that
     * had checked the grant before: the last issued state is moved on by one, so their compare-and-set fails and they
     * read the (absent) grant again.
     */
    public void revoke() {
        grant = null;
        last.getAndIncrement();
    }

    /** The worker id of the current grant, or -1 without one. */
    public long workerId() {
        Grant g = grant;
        return g == null ? -1 : g.workerId;
    }

    /** Whether a grant is in force now (by the monotonic clock). */
    public boolean isGranted() {
        Grant g = grant;
        return g != null && g.isValid(monotonicNanos.getAsLong());
    }

    /**
     * The latest timestamp (epoch milliseconds, the start of its tick) the current grant lets ids carry; {@link
     * Long#MAX_VALUE} for a grant without that bound, -1 without a grant.
     */
    public long latestGrantedMillis() {
        Grant g = grant;
        if (g == null) {
            return -1;
        }
        return g.latestTick == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : layout.instantOf(g.latestTick).toEpochMilli();
    }

    /** The epoch milliseconds of the tick of the last issued id; -1 before the first. */
    public long lastIssuedMillis() {
        long state = last.get();
        return state < 0 ? -1 : layout.instantOf(state >>> sequenceBits).toEpochMilli();
    }

    /**
     * The next id. The last issued state is read first, then the wall clock, then the grant and its deadline, and the
     * id is taken by a compare-and-set on that state: so the id's timestamp was read before the grant was found valid
     * and is at most the grant's latest timestamp, wherever the thread is suspended.
     */
    public long nextId() {
        while (true) {
            long previous = last.get();
            long now = currentTick();
            long worker = admittedWorker(now);
            long next = advance(previous, now, 1);
            if (next >= 0 && last.compareAndSet(previous, next)) {
                issued.increment();
                return compose(next >>> sequenceBits, worker, next & sequenceMask);
            }
        }
    }

    /** {@code count} ids in increasing order, taking whole blocks of one tick's sequence per compare-and-set. */
    public long[] nextIds(int count) {
        if (count <= 0) {
            throw new InvalidArgumentException(
                    "count", count, "count " + count + " is below 1", "ask for 1 id or more");
        }
        long[] ids = new long[count];
        int filled = 0;
        while (filled < count) {
            long previous = last.get();
            long now = currentTick();
            long worker = admittedWorker(now);
            long first = advance(previous, now, 1);
            if (first < 0) {
                continue;
            }
            long room = sequenceMask - (first & sequenceMask) + 1;
            long take = Math.min(room, count - filled);
            long end = first + take - 1;
            if (last.compareAndSet(previous, end)) {
                long tick = first >>> sequenceBits;
                for (long s = first & sequenceMask; s <= (end & sequenceMask); s++) {
                    ids[filled++] = compose(tick, worker, s);
                }
            }
        }
        issued.add(count);
        return ids;
    }

    /** Splits an id into its parts. */
    public SnowflakeId decompose(long id) {
        if (id < 0) {
            throw new InvalidArgumentException(
                    "id", id, "id " + id + " is negative", "pass a Snowflake id, whose sign bit is always 0");
        }
        long tick = id >>> timeShift;
        long worker = (id >>> workerShift) & layout.maxWorkerId();
        return new SnowflakeId(id, layout.instantOf(tick), worker, id & sequenceMask);
    }

    /** Counters since the generator was built. */
    public Stats stats() {
        return new Stats(
                issued.sum(), clockBackwardsWaits.sum(), clockBackwardsFailures.sum(), leaseLostRejections.sum());
    }

    private void requireWorkerId(long workerId) {
        if (workerId < 0 || workerId > layout.maxWorkerId()) {
            throw new InvalidArgumentException(
                    "workerId",
                    workerId,
                    "worker id " + workerId + " does not fit the layout's " + layout.workerBits() + " worker bits",
                    "use 0 to " + layout.maxWorkerId());
        }
    }

    /** The wall clock's tick now, checked against the layout. */
    private long currentTick() {
        long now = layout.tickOf(wallClockMillis.getAsLong());
        if (now > layout.maxTicks()) {
            throw new IdAllocatorException("The Snowflake layout ran out of time bits on " + layout.exhaustedAt()
                    + ": choose a later epoch or more time bits (ids would no longer be unique)");
        }
        if (now < 0) {
            throw new IdAllocatorException("The clock is before the Snowflake epoch " + layout.epoch());
        }
        return now;
    }

    /** The worker id to issue an id of tick {@code now} with, read after the clock; throws when the grant does not cover it. */
    private long admittedWorker(long now) {
        Grant g = grant;
        if (g == null || !g.isValid(monotonicNanos.getAsLong())) {
            leaseLostRejections.increment();
            throw new WorkerLeaseLostException(
                    g == null
                            ? "No worker id is leased: the generator issues ids only while it holds a worker-id lease"
                            : "The lease of worker id " + g.workerId
                                    + " could not be renewed in time: no ids are issued "
                                    + "until a worker id is leased again (another process may hold this one now)");
        }
        if (now > g.latestTick) {
            leaseLostRejections.increment();
            throw new WorkerLeaseLostException("The wall clock (" + layout.instantOf(now) + ") is past the latest "
                    + "timestamp the lease of worker id " + g.workerId + " covers (" + layout.instantOf(g.latestTick)
                    + "): the clock jumped forward; ids are issued again after the next renewal");
        }
        return g.workerId;
    }

    /** The state after {@code previous} for one more id at tick {@code now}, or -1 when the caller should retry. */
    private long advance(long previous, long now, int ids) {
        long previousTick = previous < 0 ? -1 : previous >>> sequenceBits;
        if (now > previousTick) {
            return now << sequenceBits;
        }
        if (now < previousTick) {
            waitForClock(previousTick, now);
            return -1;
        }
        if ((previous & sequenceMask) + ids <= sequenceMask) {
            return previous + ids;
        }
        Thread.onSpinWait();
        return -1;
    }

    private void waitForClock(long previousTick, long now) {
        long behindMillis = (previousTick - now) * layout.tick().toMillis();
        if (behindMillis > toleranceMillis) {
            clockBackwardsFailures.increment();
            throw new ClockMovedBackwardsException("The clock is " + behindMillis + " ms behind the last issued id, "
                    + "more than the tolerated " + toleranceMillis + " ms: refusing to issue ids that could repeat. "
                    + "Check NTP (a stepped clock), or raise the clock-backwards tolerance.");
        }
        clockBackwardsWaits.increment();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(behindMillis, 1)));
    }

    private long compose(long tick, long worker, long sequence) {
        return (tick << timeShift) | (worker << workerShift) | sequence;
    }

    /** Counters of a generator: ids issued, clock-backwards waits and failures, calls refused without a lease. */
    public record Stats(long issued, long clockBackwardsWaits, long clockBackwardsFailures, long leaseLostRejections) {}

    private record Grant(long workerId, long validUntilNanos, boolean expires, long latestTick) {
        boolean isValid(long nowNanos) {
            return !expires || nowNanos - validUntilNanos < 0;
        }
    }

    /** Builds a {@link SnowflakeIdGenerator}. */
    public static final class Builder {
        private final SnowflakeLayout layout;
        private LongSupplier wallClockMillis = System::currentTimeMillis;
        private LongSupplier monotonicNanos = System::nanoTime;
        private Duration clockBackwardsTolerance = DEFAULT_CLOCK_BACKWARDS_TOLERANCE;

        private Builder(SnowflakeLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
        }

        /** The wall clock in epoch milliseconds (tests inject one). */
        public Builder wallClock(LongSupplier epochMillis) {
            this.wallClockMillis = Objects.requireNonNull(epochMillis, "epochMillis");
            return this;
        }

        /** The monotonic clock in nanoseconds that lease deadlines are measured with (tests inject one). */
        public Builder monotonicClock(LongSupplier nanos) {
            this.monotonicNanos = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * How far back the wall clock may step before {@link ClockMovedBackwardsException}; waited out below it.
         *
         * @throws InvalidArgumentException for the setting {@code clockBackwardsTolerance} unless it is zero to
         *     {@link #MAX_CLOCK_BACKWARDS_TOLERANCE}
         */
        public Builder clockBackwardsTolerance(@Nullable Duration tolerance) {
            if (tolerance == null || tolerance.isNegative() || tolerance.compareTo(MAX_CLOCK_BACKWARDS_TOLERANCE) > 0) {
                throw new InvalidArgumentException(
                        "clockBackwardsTolerance",
                        tolerance,
                        "clockBackwardsTolerance " + tolerance + " of the Snowflake generator must be between zero "
                                + "and " + MAX_CLOCK_BACKWARDS_TOLERANCE + " (callers of nextId() block for up to "
                                + "this long)",
                        "use a duration such as " + DEFAULT_CLOCK_BACKWARDS_TOLERANCE + " (the default)");
            }
            this.clockBackwardsTolerance = tolerance;
            return this;
        }

        /**
         * Builds the generator (without a grant yet).
         *
         * @throws InvalidArgumentException when the layout cannot issue ids by the wall clock now ({@link
         *     SnowflakeLayout#requireUsableAt(long)})
         */
        public SnowflakeIdGenerator build() {
            layout.requireUsableAt(wallClockMillis.getAsLong());
            return new SnowflakeIdGenerator(this);
        }
    }
}
