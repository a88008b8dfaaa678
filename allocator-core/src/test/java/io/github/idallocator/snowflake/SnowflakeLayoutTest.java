package io.github.idallocator.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of a Snowflake layout: each names the rejected setting, its value and a fix. */
class SnowflakeLayoutTest {

    private static final Instant EPOCH = SnowflakeLayout.DEFAULT_EPOCH;
    private static final Duration MS = Duration.ofMillis(1);

    @ParameterizedTest(name = "{0}/{1}/{2} is rejected as {3}")
    @CsvSource({
        "0, 51, 12, timeBits, 0",
        "41, 0, 22, workerBits, 0",
        "41, 22, 0, sequenceBits, 0",
        "31, 21, 11, workerBits, 21",
        "40, 10, 12, timeBits, 40"
    })
    void bitsThatDoNotMakeALayoutAreRejectedNamingTheSetting(
            int timeBits, int workerBits, int sequenceBits, String setting, int value) {
        InvalidArgumentException e =
                rejection(() -> new SnowflakeLayout(timeBits, workerBits, sequenceBits, EPOCH, MS));

        assertThat(e.setting()).isEqualTo(setting);
        assertThat(e.value()).isEqualTo(value);
    }

    @Test
    void timeBitsThatDoNotFillSixtyThreeBitsAreFixedByNamingTheMissingBits() {
        InvalidArgumentException e = rejection(() -> new SnowflakeLayout(40, 10, 12, EPOCH, MS));

        assertThat(e.fix()).startsWith("use 41 ");
    }

    @Test
    void aTickOfAFractionOfAMillisecondIsRejectedAsTick() {
        InvalidArgumentException e =
                rejection(() -> new SnowflakeLayout(41, 10, 12, EPOCH, Duration.ofNanos(1_500_000)));

        assertThat(e.setting()).isEqualTo("tick");
        assertThat(e.value()).isEqualTo(Duration.ofNanos(1_500_000));
    }

    @Test
    void anEpochBefore1970IsRejectedAsEpoch() {
        InvalidArgumentException e =
                rejection(() -> new SnowflakeLayout(41, 10, 12, Instant.parse("1969-12-31T23:59:59Z"), MS));

        assertThat(e.setting()).isEqualTo("epoch");
    }

    @Test
    void aMissingEpochIsRejectedAsEpochNotAsANullPointer() {
        InvalidArgumentException e = rejection(() -> new SnowflakeLayout(41, 10, 12, null, MS));

        assertThat(e.setting()).isEqualTo("epoch");
        assertThat(e.value()).isNull();
    }

    @Test
    void anEpochInTheFutureIsNotUsableNow() {
        Instant epoch = Instant.parse("2030-01-01T00:00:00Z");
        SnowflakeLayout layout = new SnowflakeLayout(41, 10, 12, epoch, MS);

        InvalidArgumentException e =
                rejection(() -> layout.requireUsableAt(epoch.minusMillis(1).toEpochMilli()));

        assertThat(e.setting()).isEqualTo("epoch");
        assertThat(e.problem()).contains("lies in the future");
        assertThatCode(() -> layout.requireUsableAt(epoch.toEpochMilli())).doesNotThrowAnyException();
    }

    @Test
    void timeBitsThatRanOutAreNotUsableNamingWhen() {
        SnowflakeLayout layout = new SnowflakeLayout(31, 20, 12, Instant.parse("2020-01-01T00:00:00Z"), MS);

        InvalidArgumentException e =
                rejection(() -> layout.requireUsableAt(layout.exhaustedAt().toEpochMilli()));

        assertThat(e.setting()).isEqualTo("timeBits");
        assertThat(e.problem()).contains("ran out on " + Instant.parse("2020-01-25T20:31:23.648Z"));
        assertThatCode(() -> layout.requireUsableAt(layout.exhaustedAt().toEpochMilli() - 1))
                .doesNotThrowAnyException();
    }

    @Test
    void aWorkerIdRangeBeyondTheWorkerBitsIsRejectedAsMaxId() {
        InvalidArgumentException e = rejection(() -> SnowflakeLayout.DEFAULT.requireWorkerIdRange(0, 1024));

        assertThat(e.setting()).isEqualTo("maxId");
        assertThat(e.value()).isEqualTo(1024L);
        assertThat(e.fix()).startsWith("use at most 1023");
    }

    @Test
    void aWorkerIdRangeStartingOutsideTheWorkerBitsIsRejectedAsMinId() {
        InvalidArgumentException e = rejection(() -> SnowflakeLayout.DEFAULT.requireWorkerIdRange(-1, 1023));

        assertThat(e.setting()).isEqualTo("minId");
        assertThat(e.problem()).contains("run from 0 to 1023");
    }

    private static InvalidArgumentException rejection(Runnable call) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call::run);
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
