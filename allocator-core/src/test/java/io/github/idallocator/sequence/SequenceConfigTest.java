package io.github.idallocator.sequence;

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

/** Every rule of a sequence's configuration names the rejected setting, its value and a fix (no Redis). */
class SequenceConfigTest {

    private static Arguments rejected(UnaryOperator<SequenceConfig.Builder> change, String setting, Object value) {
        return Arguments.of(setting + " " + value, change, setting, value);
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                rejected(b -> b.keyPrefix("a b"), "keyPrefix", "a b"),
                rejected(b -> b.step(0), "step", 0),
                rejected(b -> b.step(RedisSequenceAllocator.MAX_STEP + 1), "step", RedisSequenceAllocator.MAX_STEP + 1),
                rejected(b -> b.maxStep(10), "maxStep", 10),
                rejected(b -> b.prefetchThreshold(1.0), "prefetchThreshold", 1.0),
                rejected(b -> b.initialValue(-1), "initialValue", -1L),
                rejected(b -> b.floor(-5), "floor", -5L),
                rejected(b -> b.repairGap(-1), "repairGap", -1L),
                rejected(b -> b.recoveryPeriod(Duration.ofMillis(50)), "recoveryPeriod", Duration.ofMillis(50)),
                rejected(b -> b.recoveryPeriod(null), "recoveryPeriod", null),
                rejected(b -> b.replicaAcks(-1), "replicaAcks", -1),
                rejected(b -> b.replicaAckTimeout(Duration.ZERO), "replicaAckTimeout", Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void aWrongValueIsRejectedNamingItsSettingAndValueWithAFix(
            String description, UnaryOperator<SequenceConfig.Builder> change, String setting, Object value) {
        InvalidArgumentException e =
                rejection(() -> change.apply(SequenceConfig.builder("orders")).build());

        assertThat(e.setting()).isEqualTo(setting);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.fix()).isNotBlank();
    }

    @Test
    void aWrongNameIsRejectedAsTheSettingNameOfASequence() {
        InvalidArgumentException e =
                rejection(() -> SequenceConfig.builder("or{ders}").build());

        assertThat(e.setting()).isEqualTo("name");
        assertThat(e.problem()).contains("the sequence name must be");
    }

    @Test
    void aRepairGapOfUpToTwoToTheFortyIsAccepted() {
        assertThatCode(() -> SequenceConfig.builder("orders")
                        .repairGap(SequenceConfig.MAX_REPAIR_GAP)
                        .build())
                .doesNotThrowAnyException();
        assertThat(rejection(() -> SequenceConfig.builder("orders")
                                .repairGap(SequenceConfig.MAX_REPAIR_GAP + 1)
                                .build())
                        .setting())
                .isEqualTo("repairGap");
    }

    private static InvalidArgumentException rejection(Runnable call) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call::run);
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
