package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of a lock namespace's configuration names the rejected setting, its value and a fix (no Redis). */
@Tag("no-redis")
class LockConfigTest {

    private static Arguments rejected(UnaryOperator<LockConfig.Builder> change, String setting, Object value) {
        return Arguments.of(setting + " " + value, change, setting, value);
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                rejected(b -> b.keyPrefix("a b"), "keyPrefix", "a b"),
                rejected(b -> b.leaseTime(Duration.ofMillis(29)), "leaseTime", Duration.ofMillis(29)),
                rejected(b -> b.leaseTime(Duration.ofDays(2)), "leaseTime", Duration.ofDays(2)),
                rejected(b -> b.leaseTime(null), "leaseTime", null),
                rejected(b -> b.waitPollBound(Duration.ZERO), "waitPollBound", Duration.ZERO),
                rejected(b -> b.waitPollBound(Duration.ofMinutes(2)), "waitPollBound", Duration.ofMinutes(2)),
                rejected(b -> b.tokenRetention(Duration.ofMillis(-1)), "tokenRetention", Duration.ofMillis(-1)),
                rejected(b -> b.tokenRetention(Duration.ofDays(8)), "tokenRetention", Duration.ofDays(8)),
                rejected(b -> b.maxHoldTime(Duration.ofSeconds(-1)), "maxHoldTime", Duration.ofSeconds(-1)),
                rejected(b -> b.replicaAcks(-1, Duration.ofSeconds(1)), "replicaAcks", -1),
                rejected(b -> b.replicaAcks(1, Duration.ZERO), "replicaAckTimeout", Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void aWrongValueIsRejectedNamingItsSettingAndValueWithAFix(
            String description, UnaryOperator<LockConfig.Builder> change, String setting, Object value) {
        InvalidArgumentException e =
                rejection(() -> change.apply(LockConfig.builder("orders")).build());

        assertThat(e.setting()).isEqualTo(setting);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.fix()).isNotBlank();
    }

    @Test
    void aNamespaceWithABraceIsRejectedAsTheSettingName() {
        InvalidArgumentException e =
                rejection(() -> LockConfig.builder("or{ders}").build());

        assertThat(e.setting()).isEqualTo("name");
        assertThat(e.problem()).contains("the lock namespace name must be");
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        LockConfig config = LockConfig.builder().build();

        assertThat(config.namespace()).isEqualTo("default");
        assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.renewalInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.waitPollBound()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.tokenRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxHoldTime()).isZero();
        assertThat(config.replicaAcks()).isZero();
    }

    @Test
    void lockNamesMayHoldSlashesColonsAndNonAsciiLetters() {
        assertThat(LockConfig.requireLockName("jobs/nightly:report-ä", "orders"))
                .isEqualTo("jobs/nightly:report-ä");
    }

    @Test
    void aLockNameLongerThanTwoHundredCharactersIsRejected() {
        InvalidArgumentException e =
                rejection(() -> LockConfig.requireLockName("x".repeat(LockConfig.MAX_LOCK_NAME_LENGTH + 1), "orders"));

        assertThat(e.setting()).isEqualTo("name");
        assertThat(e.problem()).contains("1 to 200 characters");
    }

    private static InvalidArgumentException rejection(Runnable call) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call::run);
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
