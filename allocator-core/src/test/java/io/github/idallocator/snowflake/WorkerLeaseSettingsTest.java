package io.github.idallocator.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of a worker-id lease's timing: each names the rejected setting, its value and a fix. */
class WorkerLeaseSettingsTest {

    @ParameterizedTest(name = "ttl {0}, heartbeat {1}, margin {2}, handover {3}: {4} is rejected")
    @CsvSource({
        "PT0.02S, PT0.005S, PT0S,  PT2S, ttl,               PT0.02S",
        "PT30S,   PT11S,    PT1S,  PT2S, heartbeatInterval, PT11S",
        "PT30S,   PT0S,     PT1S,  PT2S, heartbeatInterval, PT0S",
        "PT30S,   PT10S,    PT20S, PT2S, safetyMargin,      PT20S",
        "PT30S,   PT10S,    -PT1S, PT2S, safetyMargin,      -PT1S",
        "PT30S,   PT10S,    PT1S,  PT2M, maxHandoverWait,   PT2M",
        "PT30S,   PT10S,    PT1S,  -PT1S, maxHandoverWait,  -PT1S"
    })
    void aWrongTimingIsRejectedNamingItsSettingAndValue(
            Duration ttl,
            Duration heartbeatInterval,
            Duration safetyMargin,
            Duration maxHandoverWait,
            String setting,
            Duration value) {
        InvalidArgumentException e =
                rejection(() -> new WorkerLeaseSettings(ttl, heartbeatInterval, safetyMargin, maxHandoverWait));

        assertThat(e.setting()).isEqualTo(setting);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.fix()).isNotBlank();
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        assertThatCode(() -> new WorkerLeaseSettings(
                        WorkerLeaseSettings.MIN_TTL,
                        Duration.ofMillis(10),
                        Duration.ZERO,
                        WorkerLeaseSettings.MAX_HANDOVER_WAIT))
                .doesNotThrowAnyException();
    }

    @Test
    void aHeartbeatTooSlowForTheTtlIsFixedByNamingAThirdOfIt() {
        InvalidArgumentException e = rejection(() -> new WorkerLeaseSettings(
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2)));

        assertThat(e.fix()).startsWith("use at most " + Duration.ofMillis(6666));
    }

    @Test
    void aMissingDurationIsRejectedNamingItNotAsANullPointer() {
        InvalidArgumentException e = rejection(() ->
                new WorkerLeaseSettings(Duration.ofSeconds(30), null, Duration.ofSeconds(1), Duration.ofSeconds(2)));

        assertThat(e.setting()).isEqualTo("heartbeatInterval");
        assertThat(e.value()).isNull();
    }

    private static InvalidArgumentException rejection(Runnable call) {
        InvalidArgumentException e = catchThrowableOfType(InvalidArgumentException.class, call::run);
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
