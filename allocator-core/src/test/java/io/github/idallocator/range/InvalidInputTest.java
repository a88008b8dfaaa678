package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid input is rejected with {@link InvalidArgumentException} whose message names the rejected value, and
 * rejected calls write nothing: the type and DUMP of every key of the allocator are the same before and after. Invalid
 * configuration is rejected by the builder, before there is anything that could reach Redis.
 */
@WithRedisServer
@ParameterizedClass
@EnumSource(RedisClient.class)
class InvalidInputTest extends AllocatorSpec {

    private static final long MIN = 10;
    private static final long MAX = 29;
    private static final Duration TTL = Duration.ofMinutes(5);

    /** An allocator with some state in every key: single leases, a range lease, a resting range and a creator. */
    private RedisIdAllocator allocatorWithState() {
        RedisIdAllocator ids = allocator(name, b -> b.reuseDelay(Duration.ofMinutes(1)));
        ids.allocate(3);
        ids.allocateRange(4);
        Lease resting = ids.allocateRange(2);
        ids.free(resting);
        return ids;
    }

    private RedisIdAllocator allocator(String allocatorName, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        IdAllocatorConfig config =
                custom.apply(IdAllocatorConfig.builder(allocatorName, MIN, MAX)).build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, "instance-a");
    }

    /** Runs the call, expects it rejected naming {@code value}, and checks that no key of the allocator changed. */
    private void assertRejectedWritingNothing(RedisIdAllocator ids, Consumer<RedisIdAllocator> call, String value) {
        Map<String, String> before = RedisInspection.snapshot(server, name);
        assertThat(before).as("keys of the allocator").isNotEmpty();

        assertThatThrownBy(() -> call.accept(ids))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(value);

        assertThat(RedisInspection.snapshot(server, name))
                .as("keys of the allocator after the rejected call")
                .isEqualTo(before);
    }

    private static Arguments call(String description, Consumer<RedisIdAllocator> call, String namedValue) {
        return Arguments.of(Named.of(description, call), namedValue);
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
    void anIdOutsideTheRangeIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
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
    void aCountOutsideOneToTheRangeSizeIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void aBatchLargerThanMaxBatchIsRejectedEvenWhenTheRangeIsLarger() {
        RedisIdAllocator ids = RedisIdAllocator.createOrAttach(
                factory.connectionFactory(),
                IdAllocatorConfig.builder(name, 0, 10_000_000).build(),
                "instance-a");
        ids.allocate(3);

        assertRejectedWritingNothing(
                ids, a -> a.allocate(IdAllocator.MAX_BATCH + 1), "allocate(count) " + (IdAllocator.MAX_BATCH + 1));
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
    void aTtlThatIsNotPositiveOrTooLongIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
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
    void aNullTtlIsRejectedAsInvalid(Consumer<RedisIdAllocator> call, String value) {
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
    void aRangeWhoseLastIdIsBelowItsFirstIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void aLeaseOfAnotherAllocatorIsRejectedEvenWhenItsIdOwnerAndTokenMatchALeaseHere() {
        RedisIdAllocator ids = allocator(name, b -> b);
        RedisIdAllocator other = allocator(name + "-other", b -> b);
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
        RedisIdAllocator ids = allocator(name, b -> b);
        RedisIdAllocator otherPrefix = allocator(name, b -> b.keyPrefix("other-app"));
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
        RedisIdAllocator ids = allocatorWithState();
        Lease outside = new Lease(name, MAX, MAX + 2, "instance-a", 1, null, Long.MAX_VALUE);
        Lease backwards = new Lease(name, 15, 12, "instance-a", 1, null, Long.MAX_VALUE);

        assertRejectedWritingNothing(ids, a -> a.free(outside), "id 31 ");
        assertRejectedWritingNothing(ids, a -> a.extendTtl(outside, TTL), "id 31 ");
        assertRejectedWritingNothing(ids, a -> a.free(backwards), "[15, 12]");
    }

    static Stream<Arguments> garbageCursors() {
        return Stream.of(
                call("null", ids -> ids.allocatedIds(null, 10), "'null'"),
                call("empty", ids -> ids.allocatedIds("", 10), "''"),
                call("letters", ids -> ids.allocatedIds("abc", 10), "'abc'"),
                call("negative", ids -> ids.allocatedIds("-1", 10), "'-1'"),
                call("hexadecimal", ids -> ids.allocatedIds("0x10", 10), "'0x10'"),
                call("with a space", ids -> ids.allocatedIds("1 2", 10), "'1 2'"),
                call("21 digits", ids -> ids.allocatedIds("123456789012345678901", 10), "'123456789012345678901'"));
    }

    @ParameterizedTest(name = "cursor {0}")
    @MethodSource("garbageCursors")
    void aGarbageCursorIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    /** HSCAN cursors are unsigned 64-bit numbers; a larger one is not a cursor any page returned. */
    @Test
    void aCursorBeyondTheUnsignedSixtyFourBitRangeIsRejectedNamingIt() {
        String tooLarge = "18446744073709551616";

        assertRejectedWritingNothing(allocatorWithState(), ids -> ids.allocatedIds(tooLarge, 10), "'" + tooLarge + "'");
    }

    static Stream<Arguments> pageSizesOutOfRange() {
        return Stream.of(
                call("0", ids -> ids.allocatedIds(LeasePage.START, 0), "pageSize 0 "),
                call("-1", ids -> ids.allocatedIds(LeasePage.START, -1), "pageSize -1 "),
                call("10001", ids -> ids.allocatedIds(LeasePage.START, 10_001), "pageSize 10001 "));
    }

    @ParameterizedTest(name = "page size {0}")
    @MethodSource("pageSizesOutOfRange")
    void aPageSizeOutsideOneToTenThousandIsRejectedNamingIt(Consumer<RedisIdAllocator> call, String value) {
        assertRejectedWritingNothing(allocatorWithState(), call, value);
    }

    @Test
    void anInvalidInstanceIdIsRejectedBeforeAnythingIsWritten() {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, MIN, MAX).build();

        for (String instanceId : new String[] {"", "a|b", "a b", "a{b}", "x".repeat(201)}) {
            assertThatThrownBy(() -> RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, instanceId))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("instance id '" + instanceId + "'");
        }
        assertThat(RedisInspection.snapshot(server, name)).isEmpty();
    }

    @Test
    void argumentsAreCheckedBeforeRedisIsContacted() {
        try (RedisServerProcess own = RedisServerProcess.start();
                RedisClient.Factory ownFactory = client.connect(own)) {
            RedisIdAllocator ids = RedisIdAllocator.createOrAttach(
                    ownFactory.connectionFactory(),
                    IdAllocatorConfig.builder(name, MIN, MAX).build(),
                    "instance-a");
            own.kill();

            assertThatThrownBy(() -> ids.allocate(0)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ids.allocateRange(21)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ids.reserve(MAX + 1)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ids.allocate(Duration.ZERO)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ids.freeRange(20, 19)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> ids.allocatedIds("x", 10)).isInstanceOf(InvalidArgumentException.class);
        }
    }

    // Configuration: rejected by the builder, so nothing exists yet that could write to Redis.

    private static void assertConfigRejected(UnaryOperator<IdAllocatorConfig.Builder> custom, String value) {
        assertConfigRejected("ok-name", 0, 99, custom, value);
    }

    private static void assertConfigRejected(
            String name, long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom, String value) {
        assertThatThrownBy(() ->
                        custom.apply(IdAllocatorConfig.builder(name, min, max)).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(value);
    }

    @Test
    void anAllocatorNameMustBeOneToAHundredLettersDigitsDotsUnderscoresOrHyphens() {
        for (String bad :
                new String[] {"", " ", "a b", "a{b", "a}b", "{a}", "a|b", "a:b", "a*b", "é", "x".repeat(101)}) {
            assertConfigRejected(bad, 0, 9, b -> b, "allocator name '" + bad + "'");
        }
        assertConfigRejected(null, 0, 9, b -> b, "allocator name 'null'");
        assertThatCode(() -> IdAllocatorConfig.builder("A-z_0.9", 0, 9).build()).doesNotThrowAnyException();
        assertThatCode(() -> IdAllocatorConfig.builder("x".repeat(100), 0, 9).build())
                .doesNotThrowAnyException();
    }

    @Test
    void aKeyPrefixWithBracesSpacesOrOtherCharactersIsRejected() {
        for (String bad : new String[] {"", "id{x}", "{", "}", "a b", "a|b", "a*", "x".repeat(101)}) {
            assertConfigRejected(b -> b.keyPrefix(bad), "key prefix '" + bad + "'");
        }
        assertConfigRejected(b -> b.keyPrefix(null), "key prefix 'null'");
        assertThatCode(() -> IdAllocatorConfig.builder("n", 0, 9)
                        .keyPrefix("app:ids.v2-x_y")
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void aNegativeMinIdIsRejectedNamingIt() {
        assertConfigRejected("n", -1, 9, b -> b, "minId -1 ");
        assertConfigRejected("n", Long.MIN_VALUE, 9, b -> b, "minId " + Long.MIN_VALUE);
    }

    @Test
    void aMaxIdBelowTheMinIdIsRejectedNamingBoth() {
        assertConfigRejected("n", 10, 9, b -> b, "maxId 9 ");
        assertConfigRejected("n", 10, 9, b -> b, "minId 10");
    }

    @Test
    void aRangeOfMoreThanTwoToTheThirtyTwoIdsIsRejected() {
        assertConfigRejected("n", 0, IdAllocatorConfig.MAX_SIZE, b -> b, "[0, 4294967296]");
        assertConfigRejected("n", 0, Long.MAX_VALUE, b -> b, "[0, " + Long.MAX_VALUE + "]");
        assertConfigRejected("n", 1, Long.MAX_VALUE, b -> b, "[1, " + Long.MAX_VALUE + "]");
        assertThatCode(() -> IdAllocatorConfig.builder("n", 5, 5 + IdAllocatorConfig.MAX_SIZE - 1)
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void aHeartbeatIntervalNotShorterThanTheCreatorTtlIsRejectedNamingBoth() {
        assertConfigRejected(
                b -> b.creatorTtl(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofSeconds(3)),
                "heartbeatInterval PT3S");
        assertConfigRejected(
                b -> b.creatorTtl(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofSeconds(4)), "creatorTtl PT3S");
    }

    @Test
    void configurationDurationsOutOfRangeAreRejectedNamingTheSetting() {
        assertConfigRejected(b -> b.defaultTtl(Duration.ZERO), "defaultTtl PT0S");
        assertConfigRejected(b -> b.defaultTtl(Duration.ofSeconds(-5)), "defaultTtl PT-5S");
        assertConfigRejected(b -> b.reuseDelay(Duration.ofMillis(-1)), "reuseDelay PT-0.001S");
        assertConfigRejected(b -> b.cleanupInterval(Duration.ZERO), "cleanupInterval PT0S");
        assertConfigRejected(b -> b.creatorTtl(Duration.ZERO), "creatorTtl PT0S");
        assertConfigRejected(b -> b.heartbeatInterval(Duration.ofMillis(-100)), "heartbeatInterval PT-0.1S");
        assertConfigRejected(b -> b.defaultTtl(IdAllocatorConfig.MAX_TTL.plusDays(1)), "defaultTtl");
    }

    @Test
    void aNullConfigurationDurationIsRejectedAsInvalidNamingTheSetting() {
        assertConfigRejected(b -> b.defaultTtl(null), "defaultTtl");
        assertConfigRejected(b -> b.reuseDelay(null), "reuseDelay");
        assertConfigRejected(b -> b.cleanupInterval(null), "cleanupInterval");
        assertConfigRejected(b -> b.creatorTtl(null), "creatorTtl");
        assertConfigRejected(b -> b.heartbeatInterval(null), "heartbeatInterval");
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
