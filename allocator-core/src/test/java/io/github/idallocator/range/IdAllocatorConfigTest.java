package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of a range allocator's configuration names the rejected setting, its value and a fix (no Redis). */
class IdAllocatorConfigTest {

    private static Arguments rejected(UnaryOperator<IdAllocatorConfig.Builder> change, String setting, Object value) {
        return Arguments.of(setting + " " + value, change, setting, value);
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                rejected(b -> b.keyPrefix("my{app}"), "keyPrefix", "my{app}"),
                rejected(b -> b.defaultTtl(Duration.ZERO), "defaultTtl", Duration.ZERO),
                rejected(b -> b.reuseDelay(Duration.ofSeconds(-1)), "reuseDelay", Duration.ofSeconds(-1)),
                rejected(b -> b.cleanupInterval(Duration.ZERO), "cleanupInterval", Duration.ZERO),
                rejected(b -> b.creatorTtl(Duration.ZERO), "creatorTtl", Duration.ZERO),
                rejected(b -> b.heartbeatInterval(null), "heartbeatInterval", null),
                rejected(
                        b -> b.creatorTtl(Duration.ofSeconds(15)).heartbeatInterval(Duration.ofSeconds(15)),
                        "heartbeatInterval",
                        Duration.ofSeconds(15)),
                rejected(b -> b.recoveryPeriod(Duration.ofHours(2)), "recoveryPeriod", Duration.ofHours(2)),
                rejected(b -> b.recoveryPeriod(Duration.ofSeconds(-1)), "recoveryPeriod", Duration.ofSeconds(-1)),
                rejected(b -> b.recoveryPeriod(Duration.ofMinutes(1)), "defaultTtl", IdAllocatorConfig.DEFAULT_TTL),
                rejected(b -> b.replicaAcks(17), "replicaAcks", 17),
                rejected(b -> b.replicaAckTimeout(Duration.ofMinutes(2)), "replicaAckTimeout", Duration.ofMinutes(2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void aWrongValueIsRejectedNamingItsSettingAndValueWithAFix(
            String description, UnaryOperator<IdAllocatorConfig.Builder> change, String setting, Object value) {
        InvalidArgumentException e = rejection(
                () -> change.apply(IdAllocatorConfig.builder("orders", 0, 99)).build());

        assertThat(e.setting()).isEqualTo(setting);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.fix()).isNotBlank();
        assertThat(e.getMessage()).isEqualTo(e.problem() + ": " + e.fix());
    }

    @Test
    void aWrongNameIsRejectedAsTheSettingName() {
        InvalidArgumentException e =
                rejection(() -> IdAllocatorConfig.builder("or{ders}", 0, 99).build());

        assertThat(e.setting()).isEqualTo("name");
        assertThat(e.value()).isEqualTo("or{ders}");
        assertThat(e.problem()).contains("the allocator name must be", "hash tag");
    }

    @Test
    void aNegativeMinIdIsRejectedAsMinId() {
        InvalidArgumentException e =
                rejection(() -> IdAllocatorConfig.builder("orders", -1, 99).build());

        assertThat(e.setting()).isEqualTo("minId");
        assertThat(e.value()).isEqualTo(-1L);
    }

    @Test
    void aMaxIdBelowTheMinIdIsRejectedAsMaxIdNamingTheSmallestFit() {
        InvalidArgumentException e =
                rejection(() -> IdAllocatorConfig.builder("orders", 1000, 999).build());

        assertThat(e.setting()).isEqualTo("maxId");
        assertThat(e.value()).isEqualTo(999L);
        assertThat(e.fix()).startsWith("use 1000 or more");
    }

    @Test
    void aRangeLargerThanOneBitmapIsRejectedAsMaxIdNamingTheLargestFit() {
        InvalidArgumentException e = rejection(
                () -> IdAllocatorConfig.builder("orders", 0, 5_000_000_000L).build());

        assertThat(e.setting()).isEqualTo("maxId");
        assertThat(e.fix()).contains("at most " + (IdAllocatorConfig.MAX_SIZE - 1));
    }

    @Test
    void aTooLongReplicaAckTimeoutIsRejectedNamingTheLimit() {
        InvalidArgumentException e = rejection(() -> IdAllocatorConfig.builder("orders", 0, 99)
                .replicaAckTimeout(IdAllocatorConfig.MAX_REPLICA_ACK_TIMEOUT.plusMillis(1))
                .build());

        assertThat(e.problem()).contains("at most " + IdAllocatorConfig.MAX_REPLICA_ACK_TIMEOUT);
        assertThatCode(() -> IdAllocatorConfig.builder("orders", 0, 99)
                        .replicaAckTimeout(IdAllocatorConfig.MAX_REPLICA_ACK_TIMEOUT)
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void aKeyPrefixIsCheckedOnItsOwnAsKeyPrefix() {
        InvalidArgumentException e = rejection(() -> IdAllocatorConfig.requireKeyPrefix("my app"));

        assertThat(e.setting()).isEqualTo("keyPrefix");
        assertThat(e.fix()).contains("[A-Za-z0-9._:-]");
        assertThatCode(() -> IdAllocatorConfig.requireKeyPrefix("app:ids.v2-x_y"))
                .doesNotThrowAnyException();
    }

    @Test
    void anInstanceIdIsCheckedAsInstanceId() {
        InvalidArgumentException e = rejection(() -> InstanceIds.require("my host"));

        assertThat(e.setting()).isEqualTo("instanceId");
        assertThat(e.value()).isEqualTo("my host");
        assertThat(InstanceIds.require("pod-7@host/1:a")).isEqualTo("pod-7@host/1:a");
    }

    @Test
    void aGeneratedInstanceIdPassesTheCheck() {
        assertThat(InstanceIds.require(InstanceIds.generate())).isNotBlank();
    }

    private static InvalidArgumentException rejection(Runnable call) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call::run);
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
