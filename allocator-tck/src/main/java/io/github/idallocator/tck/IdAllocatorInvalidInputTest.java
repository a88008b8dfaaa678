package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid input to {@link IdAllocator} is rejected with {@link InvalidArgumentException} whose message names the
 * rejected value, and rejected calls write nothing: the backend's stored state of the allocator ({@link
 * #storedState(String)}) is the same before and after.
 *
 * <p>A backend runs it by extending it and implementing {@link #createOrAttach(IdAllocatorConfig, String)} and {@link
 * #storedState(String)}.
 */
public abstract class IdAllocatorInvalidInputTest {

    private static final long MIN = 10;
    private static final long MAX = 29;
    private static final Duration TTL = Duration.ofMinutes(5);

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
     * Everything the backend stores for the allocator {@code allocatorName} (under any key prefix), read directly from
     * the backend: each record's name mapped to a fingerprint of its type and full content, so that equal maps mean
     * nothing was written in between. Empty when nothing is stored. The kit asserts with it that a rejected call wrote
     * nothing (the Redis backend maps every key of the allocator to its type and the SHA-1 of its {@code DUMP}).
     *
     * @param allocatorName the allocator's name
     * @return record name to fingerprint
     */
    protected abstract Map<String, String> storedState(String allocatorName);

    @BeforeEach
    void nameTheAllocator() {
        name = getClass().getSimpleName() + "-" + UUID.randomUUID();
    }

    private IdAllocator allocator(String allocatorName, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        IdAllocatorConfig config =
                custom.apply(IdAllocatorConfig.builder(allocatorName, MIN, MAX)).build();
        return createOrAttach(config, "instance-a");
    }

    /** Runs the call, expects it rejected naming {@code value}, and checks that nothing of the allocator changed. */
    private void assertRejectedWritingNothing(IdAllocator ids, Consumer<IdAllocator> call, String value) {
        Map<String, String> before = storedState(name);
        assertThat(before).as("stored state of the allocator").isNotEmpty();

        assertThatThrownBy(() -> call.accept(ids))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(value);

        assertThat(storedState(name))
                .as("stored state of the allocator after the rejected call")
                .isEqualTo(before);
    }

    private static Arguments call(String description, Consumer<IdAllocator> call, String namedValue) {
        return Arguments.of(Named.of(description, call), namedValue);
    }

    /** An allocator with some state in every key: single leases, a range lease, a resting range and a creator. */
    private IdAllocator allocatorWithState() {
        IdAllocator ids = allocator(name, b -> b.reuseDelay(Duration.ofMinutes(1)));
        ids.allocate(3);
        ids.allocateRange(4);
        Lease resting = ids.allocateRange(2);
        ids.free(resting);
        return ids;
    }

    static Stream<Arguments> idsOutsideTheRange() {
        return Stream.of(
                call("reserve(min - 1)", ids -> ids.reserve(MIN - 1), "id 9 "),
                call("reserve(max + 1)", ids -> ids.reserve(MAX + 1), "id 30 "),
                call("reserve(-1)", ids -> ids.reserve(-1), "id -1 "),
                call("reserve(Long.MIN_VALUE)", ids -> ids.reserve(Long.MIN_VALUE), "id " + Long.MIN_VALUE),
                call("reserveRange(max, max + 1)", ids -> ids.reserveRange(MAX, MAX + 1), "id 30 "),
                call("reserveRange(min - 5, min)", ids -> ids.reserveRange(MIN - 5, MIN), "id 5 "),
                call("free(-1)", ids -> ids.free(-1), "id -1 "),
                call("free(max + 1)", ids -> ids.free(MAX + 1), "id 30 "),
                call("freeRange(min - 1, min)", ids -> ids.freeRange(MIN - 1, MIN), "id 9 "),
                call("forceFree(max + 1)", ids -> ids.forceFree(MAX + 1), "id 30 "),
                call("forceFree(Long.MAX_VALUE)", ids -> ids.forceFree(Long.MAX_VALUE), "id " + Long.MAX_VALUE),
                call("extendTtl(max + 1, ttl)", ids -> ids.extendTtl(MAX + 1, TTL), "id 30 "),
                call("isAllocated(min - 1)", ids -> ids.isAllocated(MIN - 1), "id 9 "),
                call("leaseOf(max + 1)", ids -> ids.leaseOf(MAX + 1), "id 30 "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idsOutsideTheRange")
    void anIdOutsideTheRangeIsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    static Stream<Arguments> countsOutsideOneToTheRangeSize() {
        return Stream.of(
                call("allocate(0)", ids -> ids.allocate(0), "allocate(count) 0 "),
                call("allocate(-1)", ids -> ids.allocate(-1), "allocate(count) -1 "),
                call("allocate(size + 1)", ids -> ids.allocate(21), "allocate(count) 21 "),
                call("allocate(Integer.MIN_VALUE, ttl)", ids -> ids.allocate(Integer.MIN_VALUE, TTL), "-2147483648"),
                call("allocateRange(0)", ids -> ids.allocateRange(0), "allocateRange(count) 0 "),
                call("allocateRange(-3)", ids -> ids.allocateRange(-3), "allocateRange(count) -3 "),
                call("allocateRange(size + 1)", ids -> ids.allocateRange(21), "allocateRange(count) 21 "),
                call(
                        "allocateRange(Integer.MAX_VALUE, ttl)",
                        ids -> ids.allocateRange(Integer.MAX_VALUE, TTL),
                        "2147483647"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("countsOutsideOneToTheRangeSize")
    void aCountOutsideOneToTheRangeSizeIsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void aBatchLargerThanMaxBatchIsRejectedEvenWhenTheRangeIsLarger() {
        IdAllocator ids =
                createOrAttach(IdAllocatorConfig.builder(name, 0, 10_000_000).build(), "instance-a");
        ids.allocate(3);

        assertRejectedWritingNothing(
                ids, a -> a.allocate(IdAllocator.MAX_BATCH + 1), "allocate(count) " + (IdAllocator.MAX_BATCH + 1));
    }

    static Stream<Arguments> cellCountsOutOfRange() {
        return Stream.of(
                call("occupancy(0)", ids -> ids.occupancy(0), "occupancy(maxCells) 0 "),
                call("occupancy(-1)", ids -> ids.occupancy(-1), "occupancy(maxCells) -1 "),
                call("occupancy(65537)", ids -> ids.occupancy(65_537), "occupancy(maxCells) 65537 "),
                call(
                        "occupancy(Integer.MIN_VALUE)",
                        ids -> ids.occupancy(Integer.MIN_VALUE),
                        "occupancy(maxCells) -2147483648 "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cellCountsOutOfRange")
    void aCellCountOutsideOneTo65536IsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    static Stream<Arguments> ttlsOutOfRange() {
        Duration tooLong = IdAllocatorConfig.MAX_TTL.plusMillis(1);
        return Stream.of(
                call("allocate(ZERO)", ids -> ids.allocate(Duration.ZERO), "PT0S"),
                call("allocate(-1 s)", ids -> ids.allocate(Duration.ofSeconds(-1)), "PT-1S"),
                call("allocate(0.5 ms)", ids -> ids.allocate(Duration.ofNanos(500_000)), "PT0.0005S"),
                call("allocate(100 years + 1 ms)", ids -> ids.allocate(tooLong), tooLong.toString()),
                call("allocate(3, ZERO)", ids -> ids.allocate(3, Duration.ZERO), "PT0S"),
                call("allocateRange(2, -1 ms)", ids -> ids.allocateRange(2, Duration.ofMillis(-1)), "PT-0.001S"),
                call("reserve(id, ZERO)", ids -> ids.reserve(MAX, Duration.ZERO), "PT0S"),
                call("reserveRange(a, b, -1 min)", ids -> ids.reserveRange(25, 27, Duration.ofMinutes(-1)), "PT-1M"),
                call("extendTtl(id, ZERO)", ids -> ids.extendTtl(MIN, Duration.ZERO), "PT0S"),
                call(
                        "extendTtl(lease, -1 s)",
                        ids -> ids.extendTtl(ids.leaseOf(MIN).orElseThrow(), Duration.ofSeconds(-1)),
                        "PT-1S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttlsOutOfRange")
    void aTtlThatIsNotPositiveOrTooLongIsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    static Stream<Arguments> nullTtls() {
        return Stream.of(
                call("allocate(null)", ids -> ids.allocate((Duration) null), "null"),
                call("allocate(3, null)", ids -> ids.allocate(3, null), "null"),
                call("allocateRange(2, null)", ids -> ids.allocateRange(2, null), "null"),
                call("reserve(id, null)", ids -> ids.reserve(MAX, null), "null"),
                call("reserveRange(a, b, null)", ids -> ids.reserveRange(25, 27, null), "null"),
                call("extendTtl(id, null)", ids -> ids.extendTtl(MIN, null), "null"),
                call(
                        "extendTtl(lease, null)",
                        ids -> ids.extendTtl(ids.leaseOf(MIN).orElseThrow(), null),
                        "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullTtls")
    void aNullTtlIsRejectedAsInvalid(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    static Stream<Arguments> emptyRanges() {
        return Stream.of(
                call("reserveRange(25, 24)", ids -> ids.reserveRange(25, 24), "[25, 24]"),
                call("reserveRange(max, min)", ids -> ids.reserveRange(MAX, MIN), "[29, 10]"),
                call("freeRange(14, 13)", ids -> ids.freeRange(14, 13), "[14, 13]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyRanges")
    void aRangeWhoseLastIdIsBelowItsFirstIsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void aLeaseOfAnotherAllocatorIsRejectedEvenWhenItsIdOwnerAndTokenMatchALeaseHere() {
        IdAllocator ids = allocator(name, b -> b);
        IdAllocator other = allocator(name + "-other", b -> b);
        Lease here = ids.allocate();
        Lease foreign = withToken(other.allocate(), here.fencingToken());
        assertThat(foreign.id()).isEqualTo(here.id());
        assertThat(foreign.owner()).isEqualTo(here.owner());

        assertRejectedWritingNothing(ids, a -> a.free(foreign), "'" + name + "-other'");
        assertRejectedWritingNothing(ids, a -> a.extendTtl(foreign, TTL), "'" + name + "-other'");
        assertThat(ids.leaseOf(here.id())).map(Lease::fencingToken).contains(here.fencingToken());
    }

    @Test
    void aLeaseOfAnAllocatorWithTheSameNameUnderAnotherKeyPrefixIsRejected() {
        IdAllocator ids = allocator(name, b -> b);
        IdAllocator otherPrefix = allocator(name, b -> b.keyPrefix("other-app"));
        Lease here = ids.allocate();
        Lease foreign = withToken(otherPrefix.allocate(), here.fencingToken());
        assertThat(foreign.id()).isEqualTo(here.id());

        Throwable thrown = catchThrowable(() -> ids.free(foreign));

        assertThat(ids.leaseOf(here.id()))
                .as("this allocator's own lease of id %d", here.id())
                .map(Lease::fencingToken)
                .contains(here.fencingToken());
        assertThat(thrown).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aForgedLeaseWithIdsOutsideTheRangeIsRejected() {
        IdAllocator ids = allocatorWithState();
        Lease outside = new Lease(name, MAX, MAX + 2, "instance-a", 1, null, Long.MAX_VALUE);
        Lease backwards = new Lease(name, 15, 12, "instance-a", 1, null, Long.MAX_VALUE);

        assertRejectedWritingNothing(ids, a -> a.free(outside), "id 31 ");
        assertRejectedWritingNothing(ids, a -> a.extendTtl(outside, TTL), "id 31 ");
        assertRejectedWritingNothing(ids, a -> a.free(backwards), "[15, 12]");
    }

    static Stream<Arguments> pageSizesOutOfRange() {
        return Stream.of(
                call("0", ids -> ids.allocatedIds(LeasePage.START, 0), "pageSize 0 "),
                call("-1", ids -> ids.allocatedIds(LeasePage.START, -1), "pageSize -1 "),
                call("10001", ids -> ids.allocatedIds(LeasePage.START, 10_001), "pageSize 10001 "));
    }

    @ParameterizedTest(name = "page size {0}")
    @MethodSource("pageSizesOutOfRange")
    void aPageSizeOutsideOneToTenThousandIsRejectedNamingIt(Consumer<IdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void anInvalidInstanceIdIsRejectedBeforeAnythingIsWritten() {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, MIN, MAX).build();

        for (String instanceId : new String[] {"", "a|b", "a b", "a{b}", "x".repeat(201)}) {
            assertThatThrownBy(() -> createOrAttach(config, instanceId))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("instance id '" + instanceId + "'");
        }
        assertThat(storedState(name)).isEmpty();
    }

    /** The same lease under another fencing token: tokens come from each allocator's own counter. */
    private static Lease withToken(Lease lease, long token) {
        return new Lease(
                lease.allocator(),
                lease.keyPrefix(),
                lease.firstId(),
                lease.lastId(),
                lease.owner(),
                token,
                lease.expiresAt(),
                lease.localDeadlineNanos(),
                lease.previousNote());
    }
}
