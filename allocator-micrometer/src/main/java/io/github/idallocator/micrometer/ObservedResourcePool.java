package io.github.idallocator.micrometer;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.ForwardingResourcePool;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.Unhealthy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Times the acquisitions and counts the releases of a {@link ResourcePool}, tag {@code pool}: the timer {@value
 * #ACQUIRE} (every acquisition, from the call to its result, waiting included), the timer {@value #WAIT} (only
 * acquisitions that waited for other holders: for a granted one its {@link ResourceLease#waited()}, for a timeout the
 * whole call), both tagged {@code outcome}: {@code acquired}, {@code timeout} (no resource could take the caller for
 * the whole wait, or at once for a call that does not wait), {@code invalid} (rejected for its arguments with
 * InvalidArgumentException, before Redis is asked) or {@code error} (any other exception: Redis unreachable, an
 * interrupt, a closed pool); the counter {@value #RELEASE} tagged {@code outcome}: {@code released}, {@code expired}
 * (the lease had expired: the holder paused or lost Redis past its lease), {@code revoked} (its resource was removed
 * with {@code FORCE}), {@code invalid} or {@code error} (an exception), each lease counted once however often it is
 * released;
 * and the counter {@value #UNHEALTHY} of releases that reported their resource unhealthy.
 *
 * <p>Every acquisition and release is one call of the wrapped pool: the wrapper adds no Redis call. Releases made on a
 * lease ({@link ResourceLease#release()}, {@code close()}) are counted too, since a lease acquired through this wrapper
 * releases through it ({@link ForwardingResourcePool}); leases the pool releases itself when it is closed are not.
 * Leases, {@link #heldLeases()}, the configuration, snapshots and the listeners are those of the wrapped pool.
 *
 * <p>Wrap a pool with {@link #decorate(ResourcePool, MeterRegistry)} and use the wrapper in its place; the Spring Boot
 * starter does so for its pool beans. The gauges and the lost counter come from {@link PoolMeterBinder}.
 */
public final class ObservedResourcePool extends ForwardingResourcePool {

    /** Timer of every acquisition; tags {@code pool}, {@code outcome}. */
    public static final String ACQUIRE = "idallocator.pool.acquire";

    /** Timer of the waiting of acquisitions that waited for other holders; tags {@code pool}, {@code outcome}. */
    public static final String WAIT = "idallocator.pool.wait";

    /** Counter of releases; tags {@code pool}, {@code outcome}. */
    public static final String RELEASE = "idallocator.pool.release";

    /** Counter of releases that reported their resource unhealthy; tag {@code pool}. */
    public static final String UNHEALTHY = "idallocator.pool.unhealthy";

    private final Timer[] acquisitions = new Timer[Acquired.values().length];
    private final Timer[] waits = new Timer[Acquired.values().length];
    private final Counter[] releases = new Counter[Released.values().length];
    private final Counter unhealthy;

    /** The leases whose release was counted: a release repeated on a lease returns its outcome again, uncounted. */
    private final Set<ResourceLease> released =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * Wraps {@code pool}: its acquisitions are timed and its releases counted on {@code meters}.
     *
     * @param pool the pool to observe
     * @param meters where the meters are registered
     * @return the wrapper, to use in place of {@code pool}
     */
    public static ObservedResourcePool decorate(ResourcePool pool, MeterRegistry meters) {
        return new ObservedResourcePool(pool, meters);
    }

    private ObservedResourcePool(ResourcePool delegate, MeterRegistry meters) {
        super(delegate);
        String pool = delegate.name();
        for (Acquired outcome : Acquired.values()) {
            acquisitions[outcome.ordinal()] = Timer.builder(ACQUIRE)
                    .description("Pool acquisitions, from the call to its result (waiting included), by outcome")
                    .tag("pool", pool)
                    .tag("outcome", outcome.tag)
                    .register(meters);
            waits[outcome.ordinal()] = Timer.builder(WAIT)
                    .description("Time pool acquisitions waited for other holders, by outcome")
                    .tag("pool", pool)
                    .tag("outcome", outcome.tag)
                    .register(meters);
        }
        for (Released outcome : Released.values()) {
            releases[outcome.ordinal()] = Counter.builder(RELEASE)
                    .description("Releases of pool leases, by outcome")
                    .tag("pool", pool)
                    .tag("outcome", outcome.tag)
                    .baseUnit("leases")
                    .register(meters);
        }
        this.unhealthy = Counter.builder(UNHEALTHY)
                .description("Releases of pool leases that reported their resource unhealthy")
                .tag("pool", pool)
                .baseUnit("leases")
                .register(meters);
    }

    @Override
    public Optional<ResourceLease> tryAcquire(Duration waitTimeout, AcquireOptions options) {
        long start = System.nanoTime();
        Optional<ResourceLease> lease;
        try {
            lease = super.tryAcquire(waitTimeout, options);
        } catch (RuntimeException e) {
            Acquired outcome = e instanceof InvalidArgumentException ? Acquired.INVALID : Acquired.ERROR;
            acquisitions[outcome.ordinal()].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        long took = System.nanoTime() - start;
        if (lease.isPresent()) {
            acquisitions[Acquired.ACQUIRED.ordinal()].record(took, TimeUnit.NANOSECONDS);
            long waited = lease.get().waited().toNanos();
            if (waited > 0) {
                waits[Acquired.ACQUIRED.ordinal()].record(waited, TimeUnit.NANOSECONDS);
            }
        } else {
            acquisitions[Acquired.TIMEOUT.ordinal()].record(took, TimeUnit.NANOSECONDS);
            if (!waitTimeout.isZero() && !waitTimeout.isNegative()) {
                waits[Acquired.TIMEOUT.ordinal()].record(took, TimeUnit.NANOSECONDS);
            }
        }
        return lease;
    }

    @Override
    public ReleaseOutcome release(ResourceLease lease, @Nullable Unhealthy report) {
        ReleaseOutcome outcome;
        try {
            outcome = super.release(lease, report);
        } catch (RuntimeException e) {
            releases[(e instanceof InvalidArgumentException ? Released.INVALID : Released.ERROR).ordinal()].increment();
            throw e;
        }
        if (released.add(lease)) {
            releases[Released.of(outcome).ordinal()].increment();
            if (report != null && outcome == ReleaseOutcome.RELEASED) {
                unhealthy.increment();
            }
        }
        return outcome;
    }

    /** What an acquisition came to. */
    private enum Acquired {
        ACQUIRED("acquired"),
        TIMEOUT("timeout"),
        INVALID("invalid"),
        ERROR("error");

        private final String tag;

        Acquired(String tag) {
            this.tag = tag;
        }
    }

    /** What a release came to. */
    private enum Released {
        RELEASED("released"),
        EXPIRED("expired"),
        REVOKED("revoked"),
        INVALID("invalid"),
        ERROR("error");

        private final String tag;

        Released(String tag) {
            this.tag = tag;
        }

        static Released of(ReleaseOutcome outcome) {
            return switch (outcome) {
                case RELEASED -> RELEASED;
                    // pools answer HELD_BY_OTHER never: their leases are per acquisition, so a lease taken over expired
                    // first
                case ALREADY_EXPIRED, HELD_BY_OTHER -> EXPIRED;
                case REVOKED -> REVOKED;
            };
        }
    }
}
