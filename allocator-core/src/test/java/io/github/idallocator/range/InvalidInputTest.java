package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid input of the Redis backend's own making, rejected with {@link InvalidArgumentException} naming the value and
 * writing nothing (the type and DUMP of every key of the allocator are the same before and after): cursors, which are
 * Redis HSCAN cursors. Arguments are checked before Redis is contacted, and invalid configuration is rejected by the
 * builder, before there is anything that could reach Redis. The invalid input every backend rejects is {@code
 * allocator-tck}'s {@code IdAllocatorInvalidInputTest}, run on Redis by {@code RedisIdAllocatorInvalidInputTest}.
 */
@WithRedisClients
class InvalidInputTest extends AllocatorSpec {

    private static final long MIN = 10;
    private static final long MAX = 29;

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
}
