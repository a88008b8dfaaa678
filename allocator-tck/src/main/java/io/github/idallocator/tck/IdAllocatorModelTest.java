package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.range.AllocatorStats;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of operations by two instances against the real allocator and a plain in-memory model of it: after
 * every step both must agree on the exact ids handed out (the lowest free id; the {@code count} lowest free ids; the
 * lowest-starting run that fits), the fencing tokens, which calls fail and how (batch frees included), and every
 * counter.
 *
 * <p>Leases never expire and there is no reuse delay, so time plays no part and a seed replays the same run. The seed is
 * in the test name and in every failure message; five seeds are fixed and one is new on every run.
 *
 * <p>Each seed runs twice: on a range of 64 ids (one block: no block summary is kept) and on a range whose first 65
 * blocks of 4096 ids are held by one lease of a third instance, so the same 64 ids sit in the 66th block and every
 * search goes through the "full" block summary (of the Redis backend; any backend must agree with the model there too).
 *
 * <p>A backend runs it by extending it and implementing {@link #createOrAttach(IdAllocatorConfig, String)}, as for
 * {@link IdAllocatorContractTest}.
 */
public abstract class IdAllocatorModelTest {

    /** Ids below MIN held by one lease of a third instance: 65 blocks, more than ranges without a summary have. */
    private static final long SUMMARY_PAD = 65 * 4096;

    private static final long MIN = SUMMARY_PAD + 10;
    private static final long MAX = MIN + 63;
    private static final int SIZE = (int) (MAX - MIN + 1);
    private static final int STEPS = 300;
    private static final String PAD_OWNER = "instance-pad";
    private static final long RANDOM_SEED = new SecureRandom().nextLong();

    private String name;

    /**
     * Creates the allocator {@code config.name()} in the backend, or attaches to it when it exists, as the instance
     * {@code instanceId}; see {@link IdAllocatorContractTest#createOrAttach(IdAllocatorConfig, String)}.
     *
     * @param config the allocator's configuration
     * @param instanceId this instance's id
     * @return an allocator on the backend under test
     */
    protected abstract IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId);

    /**
     * The backend under test as failure messages name it, beside the seed (for example the client it connects through).
     *
     * @return a short description; the test class's simple name unless overridden
     */
    protected String backend() {
        return getClass().getSimpleName();
    }

    static LongStream seeds() {
        return LongStream.of(1, 42, 20_240_229, 0xC0FFEEL, -8_675_309L, RANDOM_SEED);
    }

    @BeforeEach
    void nameTheAllocator() {
        name = "model-" + UUID.randomUUID();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theAllocatorAgreesWithAnInMemoryModelOnRandomOperations(long seed) {
        new Run(seed, 0).execute();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theAllocatorWithABlockSummaryAgreesWithAnInMemoryModelOnRandomOperations(long seed) {
        new Run(seed, SUMMARY_PAD).execute();
    }

    /** One lease as the model sees it. */
    private record Held(long first, long last, String owner, long token) {
        long count() {
            return last - first + 1;
        }
    }

    /** The allocator's state reduced to what it promises: leases by first id and the fencing counter. */
    private static final class Model {
        final TreeMap<Long, Held> leases = new TreeMap<>();
        long lastToken;

        Held holding(long id) {
            Map.Entry<Long, Held> floor = leases.floorEntry(id);
            return floor != null && floor.getValue().last() >= id ? floor.getValue() : null;
        }

        Held startingAt(long id) {
            return leases.get(id);
        }

        boolean isFree(long first, long last) {
            for (long id = first; id <= last; id++) {
                if (holding(id) != null) {
                    return false;
                }
            }
            return true;
        }

        long allocated() {
            return leases.values().stream().mapToLong(Held::count).sum();
        }

        /** The {@code count} lowest free ids, or fewer when there are not that many. */
        List<Long> lowestFree(int count) {
            List<Long> free = new ArrayList<>();
            for (long id = MIN; id <= MAX && free.size() < count; id++) {
                if (holding(id) == null) {
                    free.add(id);
                }
            }
            return free;
        }

        /** The lowest first id of {@code count} consecutive free ids. */
        OptionalLong lowestRun(int count) {
            for (long first = MIN; first + count - 1 <= MAX; first++) {
                if (isFree(first, first + count - 1)) {
                    return OptionalLong.of(first);
                }
            }
            return OptionalLong.empty();
        }

        Held claim(long first, long last, String owner) {
            Held held = new Held(first, last, owner, 0);
            leases.put(first, held);
            return held;
        }
    }

    /** One seeded run: two instances, the model, and every lease object handed out so far. */
    private final class Run {
        private final long seed;
        private final Random random;
        private final IdAllocator a;
        private final IdAllocator b;
        private final Model model = new Model();
        private final Map<Long, Lease> issuedByToken = new HashMap<>();
        private final List<Lease> stale = new ArrayList<>();
        private final Deque<String> history = new ArrayDeque<>();
        private final long pad;

        Run(long seed, long pad) {
            this.seed = seed;
            this.random = new Random(seed);
            this.pad = pad;
            IdAllocatorConfig config = IdAllocatorConfig.builder(name, MIN - pad, MAX)
                    .reuseDelay(Duration.ZERO)
                    .defaultTtl(IdAllocator.NO_EXPIRY)
                    .build();
            this.a = createOrAttach(config, "instance-a");
            this.b = createOrAttach(config, "instance-b");
            if (pad > 0) {
                model.lastToken = createOrAttach(config, PAD_OWNER)
                        .reserveRange(MIN - pad, MIN - 1)
                        .orElseThrow()
                        .fencingToken();
            }
        }

        void execute() {
            if (seed == RANDOM_SEED) {
                System.out.println("IdAllocatorModelTest (" + backend() + "): random seed " + seed);
            }
            for (int step = 1; step <= STEPS; step++) {
                String description = "?";
                try {
                    description = step(step);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(
                            "Model and allocator disagree with seed " + seed + " (" + backend() + ") at step " + step
                                    + " " + description + "; last steps:\n  " + String.join("\n  ", history)
                                    + "\n" + e.getMessage(),
                            e);
                }
            }
        }

        private String step(int step) {
            IdAllocator actor = random.nextInt(4) == 0 ? b : a;
            int op = random.nextInt(100);
            String description;
            if (op < 14) {
                description = allocateOne(actor);
            } else if (op < 24) {
                description = allocateBatch(actor, count());
            } else if (op < 34) {
                description = allocateRun(actor, count());
            } else if (op < 40) {
                description = reserveOne(actor, someId());
            } else if (op < 46) {
                long first = someId();
                description = reserveRun(actor, first, Math.min(MAX, first + random.nextInt(6)));
            } else if (op < 52) {
                description = freeLease();
            } else if (op < 56) {
                description = freeBatch(actor);
            } else if (op < 60) {
                description = freeStaleLease();
            } else if (op < 64) {
                description = freeIdOfAnotherInstance();
            } else if (op < 69) {
                description = freeId(actor, someId());
            } else if (op < 74) {
                description = freeRange(actor);
            } else if (op < 78) {
                description = forceFree(actor, someId());
            } else if (op < 79) {
                description = freeAllOwned(actor);
            } else if (op < 85) {
                description = isAllocated(actor, someId());
            } else if (op < 91) {
                description = leaseOf(actor, someId());
            } else if (op < 94) {
                description = extend(actor);
            } else {
                description = stats(actor);
            }
            history.addLast(step + ": " + description);
            if (history.size() > 15) {
                history.removeFirst();
            }
            if (step % 25 == 0 || step == STEPS) {
                compareEveryLease();
            }
            return description;
        }

        /** Mostly small counts, sometimes up to the whole range (so batches also run out). */
        private int count() {
            return 1 + (random.nextInt(8) == 0 ? random.nextInt(SIZE) : random.nextInt(6));
        }

        /** Any id of the range, or half the time the first id of a live lease. */
        private long someId() {
            if (!model.leases.isEmpty() && random.nextBoolean()) {
                return pick(new ArrayList<>(model.leases.keySet()));
            }
            return MIN + random.nextInt(SIZE);
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        private String who(IdAllocator instance) {
            return instance == a ? "A" : "B";
        }

        private IdAllocator instance(String id) {
            return a.instanceId().equals(id) ? a : b;
        }

        private void handedOut(Lease lease, Held expected) {
            assertThat(lease.allocator()).isEqualTo(name);
            assertThat(lease.firstId()).as("first id").isEqualTo(expected.first());
            assertThat(lease.lastId()).as("last id").isEqualTo(expected.last());
            assertThat(lease.owner()).as("owner").isEqualTo(expected.owner());
            assertThat(lease.fencingToken())
                    .as("fencing token above every earlier one")
                    .isGreaterThan(model.lastToken);
            model.lastToken = lease.fencingToken();
            model.leases.put(
                    expected.first(),
                    new Held(expected.first(), expected.last(), expected.owner(), lease.fencingToken()));
            assertThat(lease.expiresAt()).as("expiry").isNull();
            issuedByToken.put(lease.fencingToken(), lease);
        }

        private void ended(Held held) {
            model.leases.remove(held.first());
            stale.add(issuedByToken.get(held.token()));
        }

        private String allocateOne(IdAllocator actor) {
            List<Long> expected = model.lowestFree(1);
            if (expected.isEmpty()) {
                assertThatThrownBy(actor::allocate).isInstanceOf(IdsExhaustedException.class);
                return who(actor) + ".allocate() -> exhausted";
            }
            Lease lease = actor.allocate();
            handedOut(lease, model.claim(expected.get(0), expected.get(0), actor.instanceId()));
            return who(actor) + ".allocate() -> " + lease.id();
        }

        private String allocateBatch(IdAllocator actor, int count) {
            List<Long> expected = model.lowestFree(count);
            if (expected.size() < count) {
                assertThatThrownBy(() -> actor.allocate(count)).isInstanceOf(IdsExhaustedException.class);
                return who(actor) + ".allocate(" + count + ") -> exhausted";
            }
            List<Lease> leases = actor.allocate(count);
            assertThat(leases).extracting(Lease::id).as("ids of the batch").containsExactlyElementsOf(expected);
            for (Lease lease : leases) {
                handedOut(lease, model.claim(lease.id(), lease.id(), actor.instanceId()));
            }
            return who(actor) + ".allocate(" + count + ") -> " + expected;
        }

        private String allocateRun(IdAllocator actor, int count) {
            OptionalLong first = model.lowestRun(count);
            if (first.isEmpty()) {
                assertThatThrownBy(() -> actor.allocateRange(count)).isInstanceOf(IdsExhaustedException.class);
                return who(actor) + ".allocateRange(" + count + ") -> exhausted";
            }
            Lease lease = actor.allocateRange(count);
            handedOut(lease, model.claim(first.getAsLong(), first.getAsLong() + count - 1, actor.instanceId()));
            return who(actor) + ".allocateRange(" + count + ") -> " + lease.firstId() + ".." + lease.lastId();
        }

        private String reserveOne(IdAllocator actor, long id) {
            boolean free = model.isFree(id, id);
            Optional<Lease> lease = actor.reserve(id);
            assertThat(lease.isPresent()).as("reserved").isEqualTo(free);
            lease.ifPresent(l -> handedOut(l, model.claim(id, id, actor.instanceId())));
            return who(actor) + ".reserve(" + id + ") -> " + lease.isPresent();
        }

        private String reserveRun(IdAllocator actor, long first, long last) {
            boolean free = model.isFree(first, last);
            Optional<Lease> lease = actor.reserveRange(first, last);
            assertThat(lease.isPresent()).as("reserved").isEqualTo(free);
            lease.ifPresent(l -> handedOut(l, model.claim(first, last, actor.instanceId())));
            return who(actor) + ".reserveRange(" + first + ", " + last + ") -> " + lease.isPresent();
        }

        private String freeLease() {
            if (model.leases.isEmpty()) {
                return "free(lease): no lease";
            }
            Held held = pick(new ArrayList<>(model.leases.values()));
            IdAllocator owner = instance(held.owner());
            assertThat(owner.free(issuedByToken.get(held.token()))).isTrue();
            ended(held);
            return who(owner) + ".free(lease " + held + ") -> true";
        }

        /**
         * A batch of leases handed out so far: live ones of either instance, stale ones, and some named twice (or none
         * at all). The batch ends exactly the live leases it names, each once, whoever calls it.
         */
        private String freeBatch(IdAllocator actor) {
            List<Lease> live = model.leases.values().stream()
                    .map(h -> issuedByToken.get(h.token()))
                    .toList();
            List<Lease> batch = new ArrayList<>();
            int size = random.nextInt(7);
            for (int i = 0; i < size; i++) {
                int kind = random.nextInt(10);
                if (kind < 6 && !live.isEmpty()) {
                    batch.add(pick(live));
                } else if (kind < 9 && !stale.isEmpty()) {
                    batch.add(pick(stale));
                } else if (!batch.isEmpty()) {
                    batch.add(pick(batch));
                }
            }
            List<Held> ending = batch.stream()
                    .map(l -> model.startingAt(l.firstId()))
                    .filter(Objects::nonNull)
                    .filter(h -> batch.stream().anyMatch(l -> l.fencingToken() == h.token()))
                    .distinct()
                    .toList();
            String call = who(actor) + ".free(" + batch.size() + " leases: "
                    + batch.stream()
                            .map(l -> l.firstId() + " #" + l.fencingToken())
                            .toList() + ")";
            assertThat(actor.free(batch)).as("leases the batch ended").isEqualTo(ending.size());
            ending.forEach(this::ended);
            return call + " -> " + ending.size();
        }

        private String freeStaleLease() {
            if (stale.isEmpty()) {
                return "free(stale lease): none";
            }
            Lease old = pick(stale);
            IdAllocator owner = instance(old.owner());
            Held current = model.startingAt(old.firstId());
            if (current == null) {
                assertThat(owner.free(old)).isFalse();
                return who(owner) + ".free(stale " + old.firstId() + " #" + old.fencingToken() + ") -> false";
            }
            assertThatThrownBy(() -> owner.free(old)).isInstanceOf(NotOwnerException.class);
            assertThatThrownBy(() -> owner.extendTtl(old, IdAllocator.NO_EXPIRY))
                    .isInstanceOf(NotOwnerException.class);
            return who(owner) + ".free(stale " + old.firstId() + " #" + old.fencingToken() + ") -> not owner";
        }

        private String freeIdOfAnotherInstance() {
            if (model.leases.isEmpty()) {
                return "free(id) of another instance: no lease";
            }
            Held held = pick(new ArrayList<>(model.leases.values()));
            IdAllocator other = held.owner().equals(a.instanceId()) ? b : a;
            assertThatThrownBy(() -> other.free(held.first()))
                    .isInstanceOf(NotOwnerException.class)
                    .hasMessageContaining(held.owner());
            return who(other) + ".free(" + held.first() + ") of " + held.owner() + " -> not owner";
        }

        private String freeId(IdAllocator actor, long id) {
            Held held = model.startingAt(id);
            String call = who(actor) + ".free(" + id + ")";
            if (held == null) {
                assertThat(actor.free(id)).isFalse();
                return call + " -> false";
            }
            if (!held.owner().equals(actor.instanceId())) {
                assertThatThrownBy(() -> actor.free(id)).isInstanceOf(NotOwnerException.class);
                return call + " -> not owner";
            }
            if (held.count() > 1) {
                assertThatThrownBy(() -> actor.free(id))
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("freeRange(" + held.first() + ", " + held.last() + ")");
                return call + " -> a range lease";
            }
            assertThat(actor.free(id)).isTrue();
            ended(held);
            return call + " -> true";
        }

        private String freeRange(IdAllocator actor) {
            long first = someId();
            Held held = model.startingAt(first);
            long last = held != null && random.nextInt(4) != 0 ? held.last() : Math.min(MAX, first + random.nextInt(4));
            String call = who(actor) + ".freeRange(" + first + ", " + last + ")";
            if (held == null) {
                assertThat(actor.freeRange(first, last)).isFalse();
                return call + " -> false";
            }
            if (!held.owner().equals(actor.instanceId())) {
                assertThatThrownBy(() -> actor.freeRange(first, last)).isInstanceOf(NotOwnerException.class);
                return call + " -> not owner";
            }
            if (held.last() != last) {
                assertThatThrownBy(() -> actor.freeRange(first, last)).isInstanceOf(InvalidArgumentException.class);
                return call + " -> wrong extent";
            }
            assertThat(actor.freeRange(first, last)).isTrue();
            ended(held);
            return call + " -> true";
        }

        private String forceFree(IdAllocator actor, long id) {
            Held held = model.startingAt(id);
            assertThat(actor.forceFree(id)).isEqualTo(held != null);
            if (held != null) {
                ended(held);
            }
            return who(actor) + ".forceFree(" + id + ") -> " + (held != null);
        }

        private String freeAllOwned(IdAllocator actor) {
            List<Held> owned = model.leases.values().stream()
                    .filter(h -> h.owner().equals(actor.instanceId()))
                    .toList();
            assertThat(actor.freeAllOwned()).isEqualTo(owned.size());
            owned.forEach(this::ended);
            return who(actor) + ".freeAllOwned() -> " + owned.size();
        }

        private String isAllocated(IdAllocator actor, long id) {
            boolean held = model.holding(id) != null;
            assertThat(actor.isAllocated(id)).isEqualTo(held);
            return who(actor) + ".isAllocated(" + id + ") -> " + held;
        }

        private String leaseOf(IdAllocator actor, long id) {
            Held held = model.holding(id);
            Optional<Lease> lease = actor.leaseOf(id);
            assertThat(lease.isPresent()).as("a lease holds %d", id).isEqualTo(held != null);
            lease.ifPresent(l -> {
                assertThat(l.firstId()).isEqualTo(held.first());
                assertThat(l.lastId()).isEqualTo(held.last());
                assertThat(l.owner()).isEqualTo(held.owner());
                assertThat(l.fencingToken()).isEqualTo(held.token());
                assertThat(l.expiresAt()).isNull();
            });
            return who(actor) + ".leaseOf(" + id + ") -> " + held;
        }

        private String extend(IdAllocator actor) {
            List<Held> own = model.leases.values().stream()
                    .filter(h -> h.owner().equals(actor.instanceId()))
                    .toList();
            if (own.isEmpty()) {
                return who(actor) + ".extendTtl: no lease";
            }
            Held held = pick(own);
            Lease renewed = actor.extendTtl(issuedByToken.get(held.token()), IdAllocator.NO_EXPIRY);
            assertThat(renewed.fencingToken()).isEqualTo(held.token());
            assertThat(renewed.lastId()).isEqualTo(held.last());
            assertThat(renewed.expiresAt()).isNull();
            return who(actor) + ".extendTtl(" + held + ")";
        }

        private String stats(IdAllocator actor) {
            AllocatorStats stats = actor.stats();
            long allocated = model.allocated();
            assertThat(stats.size()).isEqualTo(SIZE + pad);
            assertThat(stats.allocated()).as("allocated").isEqualTo(allocated + pad);
            assertThat(stats.resting()).as("resting").isZero();
            assertThat(stats.available()).as("available").isEqualTo(SIZE - allocated);
            assertThat(stats.leases()).as("leases").isEqualTo(model.leases.size() + (pad > 0 ? 1 : 0));
            assertThat(stats.expiredLeases()).as("expired leases").isZero();
            assertThat(stats.lastFencingToken()).as("last fencing token").isEqualTo(model.lastToken);
            return who(actor) + ".stats() -> " + allocated + " allocated";
        }

        /** Every lease stored in the backend, walked with the cursor, is exactly the model's. */
        private void compareEveryLease() {
            Set<String> stored = new HashSet<>();
            String cursor = LeasePage.START;
            do {
                LeasePage page = a.allocatedIds(cursor, 20);
                page.leases().stream()
                        .filter(l -> !l.owner().equals(PAD_OWNER))
                        .forEach(l -> stored.add(
                                l.firstId() + ".." + l.lastId() + " " + l.owner() + " #" + l.fencingToken()));
                cursor = page.nextCursor();
            } while (!LeasePage.START.equals(cursor));
            Set<String> expected = model.leases.values().stream()
                    .map(h -> h.first() + ".." + h.last() + " " + h.owner() + " #" + h.token())
                    .collect(Collectors.toSet());
            assertThat(stored).as("leases stored in the backend").isEqualTo(expected);
        }
    }
}
