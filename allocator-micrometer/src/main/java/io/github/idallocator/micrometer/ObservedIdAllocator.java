package io.github.idallocator.micrometer;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.range.ForwardingIdAllocator;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Observes every Redis operation of an allocator (the {@value #OPERATIONS} observation: a timer with Micrometer, a span
 * with tracing) and counts allocation outcomes ({@value #ALLOCATIONS}) and ended leases ({@value #FREES}). It
 * overrides the primitives only: a convenience such as {@code allocate()} or {@code freeAllOwned()} is observed as the
 * primitives it calls ({@code allocate}; {@code list} and {@code free-many}). Heartbeats, stats and role queries are
 * not observed. A call rejected for its arguments ({@link InvalidArgumentException}, thrown before Redis is asked) has
 * the outcome {@code invalid}, any other exception {@code error}.
 *
 * <p>Wrap an allocator with {@link #decorate(IdAllocator, ObservationRegistry, MeterRegistry)} and use the wrapper in
 * its place; the Spring Boot starter does so for every allocator it configures.
 */
public final class ObservedIdAllocator extends ForwardingIdAllocator {

    /** Observation (and timer) of every operation; tags {@code allocator}, {@code operation}, {@code outcome}. */
    public static final String OPERATIONS = "idallocator.operations";

    /** Counter of allocation calls; tags {@code allocator}, {@code outcome}. */
    public static final String ALLOCATIONS = "idallocator.allocations";

    /** Counter of leases ended through this instance; tag {@code allocator}. */
    public static final String FREES = "idallocator.frees";

    private static final String SUCCESS = "success";
    private static final String EXHAUSTED = "exhausted";
    private static final String TAKEN = "taken";
    private static final String ABSENT = "absent";
    private static final String INVALID = "invalid";
    private static final String ERROR = "error";

    private final ObservationRegistry observations;
    private final Map<String, Counter> allocations = new HashMap<>();
    private final @Nullable Counter frees;

    /**
     * Wraps {@code allocator}: its operations are observed on {@code observations}, its allocations and frees counted
     * on {@code meters}.
     *
     * @param allocator the allocator to observe
     * @param observations where the operations are observed; {@link ObservationRegistry#NOOP} to observe nothing
     * @param meters where the counters are registered; {@code null} for no counters
     * @return the wrapper, to use in place of {@code allocator}
     */
    public static ObservedIdAllocator decorate(
            IdAllocator allocator, ObservationRegistry observations, @Nullable MeterRegistry meters) {
        return new ObservedIdAllocator(allocator, observations, meters);
    }

    private ObservedIdAllocator(
            IdAllocator delegate, ObservationRegistry observations, @Nullable MeterRegistry meters) {
        super(delegate);
        this.observations = observations;
        if (meters != null) {
            for (String outcome : List.of(SUCCESS, EXHAUSTED, TAKEN, INVALID, ERROR)) {
                allocations.put(
                        outcome,
                        Counter.builder(ALLOCATIONS)
                                .description("Allocation calls (allocate, allocate range, reserve) by outcome")
                                .tag("allocator", delegate.name())
                                .tag("outcome", outcome)
                                .register(meters));
            }
            frees = Counter.builder(FREES)
                    .description("Leases ended through this instance (free, free range, free all owned, force free)")
                    .tag("allocator", delegate.name())
                    .baseUnit("leases")
                    .register(meters);
        } else {
            frees = null;
        }
    }

    @Override
    public List<Lease> allocate(int count, Duration ttl, @Nullable String note) {
        return allocation("allocate", () -> super.allocate(count, ttl, note));
    }

    @Override
    public Lease allocateRange(int count, Duration ttl) {
        return allocation("allocate-range", () -> super.allocateRange(count, ttl));
    }

    /** Observed as {@code reserve} for one id, {@code reserve-range} for more. */
    @Override
    public Optional<Lease> reserveRange(long first, long last, Duration ttl, @Nullable String note) {
        return allocation(
                first == last ? "reserve" : "reserve-range", () -> super.reserveRange(first, last, ttl, note));
    }

    @Override
    public boolean free(Lease lease, @Nullable String note) {
        return freeing("free", () -> super.free(lease, note));
    }

    @Override
    public int free(Collection<Lease> leases) {
        int freed = observe("free-many", () -> super.free(leases), n -> SUCCESS);
        if (frees != null) {
            frees.increment(freed);
        }
        return freed;
    }

    /** Observed as {@code free} for one id, {@code free-range} for more. */
    @Override
    public boolean freeRange(long first, long last) {
        return freeing(first == last ? "free" : "free-range", () -> super.freeRange(first, last));
    }

    @Override
    public boolean forceFree(long id) {
        return freeing("force-free", () -> super.forceFree(id));
    }

    @Override
    public Lease extendTtl(Lease lease, Duration ttl, @Nullable String note) {
        return observe("extend", () -> super.extendTtl(lease, ttl, note), l -> SUCCESS);
    }

    @Override
    public Lease extendTtl(long id, Duration ttl) {
        return observe("extend", () -> super.extendTtl(id, ttl), l -> SUCCESS);
    }

    @Override
    public Optional<Lease> leaseOf(long id) {
        return observe("lease-of", () -> super.leaseOf(id), lease -> SUCCESS);
    }

    @Override
    public LeasePage allocatedIds(String cursor, int pageSize) {
        return observe("list", () -> super.allocatedIds(cursor, pageSize), page -> SUCCESS);
    }

    @Override
    public long cleanupExpired() {
        return observe("cleanup", super::cleanupExpired, n -> SUCCESS);
    }

    @Override
    public void clearAll() {
        observe(
                "clear",
                () -> {
                    super.clearAll();
                    return Boolean.TRUE;
                },
                done -> SUCCESS);
    }

    private <T> T allocation(String operation, Supplier<T> call) {
        String[] outcome = {ERROR};
        try {
            return observe(operation, call, result -> {
                outcome[0] = result instanceof Optional<?> optional && optional.isEmpty() ? TAKEN : SUCCESS;
                return outcome[0];
            });
        } catch (IdsExhaustedException e) {
            outcome[0] = EXHAUSTED;
            throw e;
        } catch (InvalidArgumentException e) {
            outcome[0] = INVALID;
            throw e;
        } finally {
            Counter counter = allocations.get(outcome[0]);
            if (counter != null) {
                counter.increment();
            }
        }
    }

    private boolean freeing(String operation, Supplier<Boolean> call) {
        boolean freed = observe(operation, call, done -> done ? SUCCESS : ABSENT);
        if (freed && frees != null) {
            frees.increment();
        }
        return freed;
    }

    // The scope is opened for its effect (the observation is current while the call runs) and never referenced.
    @SuppressWarnings("try")
    private <T> T observe(String operation, Supplier<T> call, Function<? super T, String> outcome) {
        Observation observation = Observation.createNotStarted(OPERATIONS, observations)
                .contextualName("idallocator " + operation)
                .lowCardinalityKeyValue("allocator", name())
                .lowCardinalityKeyValue("operation", operation)
                .start();
        try (Observation.Scope scope = observation.openScope()) {
            T result = call.get();
            observation.lowCardinalityKeyValue("outcome", outcome.apply(result));
            return result;
        } catch (IdsExhaustedException e) {
            observation.lowCardinalityKeyValue("outcome", EXHAUSTED);
            observation.error(e);
            throw e;
        } catch (InvalidArgumentException e) {
            // rejected before Redis was asked: not a Redis error
            observation.lowCardinalityKeyValue("outcome", INVALID);
            observation.error(e);
            throw e;
        } catch (RuntimeException e) {
            observation.lowCardinalityKeyValue("outcome", ERROR);
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }
}
