package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;

class SnowflakeAndSequencePropertiesTests {

    @Test
    void snowflakeIsOffByDefaultAndOtherwiseTakesTheCoreDefaults() {
        IdAllocatorProperties.Snowflake snowflake = bind(Map.of()).snowflake();

        assertThat(snowflake.enabled()).isFalse();
        assertThat(snowflake.layout()).isEqualTo(SnowflakeLayout.DEFAULT);
        assertThat(snowflake.leaseSettings()).isEqualTo(WorkerLeaseSettings.DEFAULT);
        assertThat(snowflake.clockBackwardsTolerance())
                .isEqualTo(SnowflakeIdGenerator.DEFAULT_CLOCK_BACKWARDS_TOLERANCE);
        assertThat(snowflake.allocatorName()).isEqualTo("snowflake-workers");
        assertThat(snowflake.workerIdMin()).isZero();
        assertThat(snowflake.effectiveWorkerIdMax()).isEqualTo(1023);
    }

    @Test
    void theWorkerIdRangeDefaultsToEveryWorkerIdTheLayoutHolds() {
        IdAllocatorProperties properties = bind(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.snowflake.time-bits", "45",
                "idallocator.snowflake.worker-bits", "6"));

        assertThat(properties.snowflake().effectiveWorkerIdMax()).isEqualTo(63);
        assertThat(properties.snowflake().workerAllocatorConfig("idalloc").maxId())
                .isEqualTo(63);
    }

    @Test
    void theWorkerAllocatorHandsFreedWorkerIdsOutAgainAtOnce() {
        IdAllocatorProperties.Snowflake snowflake = bind(Map.of()).snowflake();

        assertThat(snowflake.workerAllocatorConfig("myapp").reuseDelay()).isZero();
        assertThat(snowflake.workerAllocatorConfig("myapp").keyPrefix()).isEqualTo("myapp");
    }

    @Test
    void theEpochIsWrittenAsAnIsoInstant() {
        IdAllocatorProperties properties = bind(
                Map.of("idallocator.snowflake.enabled", "true", "idallocator.snowflake.epoch", "2025-03-01T12:00:00Z"));

        assertThat(properties.snowflake().epoch()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
    }

    @Test
    void aSequenceWithOneSettingTakesTheCoreDefaultsForTheRest() {
        IdAllocatorProperties properties = bind(Map.of("idallocator.sequences.orders.strict", "false"));

        assertThat(properties.sequences().get("orders").toConfig("orders", properties.keyPrefix()))
                .isEqualTo(SequenceConfig.builder("orders").build());
    }

    @Test
    void theOnlySequenceIsThePrimaryOne() {
        assertThat(bind(Map.of("idallocator.sequences.orders.step", "10")).primarySequenceName())
                .isEqualTo("orders");
        assertThat(bind(Map.of("idallocator.sequences.orders.step", "10", "idallocator.sequences.invoices.step", "10"))
                        .primarySequenceName())
                .isNull();
    }

    @Test
    void wrongSnowflakeValuesAreIgnoredWhileTheGeneratorIsOff() {
        IdAllocatorProperties properties = bind(Map.of("idallocator.snowflake.worker-bits", "30"));

        assertThat(properties.snowflake().workerBits()).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.snowflake.time-bits                 | 40      | must fill the 63 bits   | Set idallocator.snowflake.time-bits to 41
            idallocator.snowflake.sequence-bits             | 0       | at least 1 bit          | Set idallocator.snowflake.sequence-bits to a value such as 12
            idallocator.snowflake.worker-bits               | 21      | at most 20 worker bits  | Set idallocator.snowflake.worker-bits to 20 or fewer
            idallocator.snowflake.tick                      | PT0.0015S | whole number of milliseconds | Set idallocator.snowflake.tick to a duration such as 1ms
            idallocator.snowflake.epoch                     | 2999-01-01T00:00:00Z | lies in the future | Set idallocator.snowflake.epoch to an instant in the past
            idallocator.snowflake.worker-id-min             | -1      | run from 0 to 1023      | Set idallocator.snowflake.worker-id-min to a value from 0 to 1023
            idallocator.snowflake.worker-id-max             | 1024    | does not fit the 10 worker bits | Set idallocator.snowflake.worker-id-max to at most 1023
            idallocator.snowflake.allocator-name            | my{workers} | the allocator name must be | Set idallocator.snowflake.allocator-name to a name of letters
            idallocator.snowflake.allocator-name            | orders  | an allocator of that name is configured | Set idallocator.snowflake.allocator-name to a name no allocator uses
            idallocator.snowflake.lease-ttl                 | 20ms    | at least 30ms           | Set idallocator.snowflake.lease-ttl to a duration such as 30s
            idallocator.snowflake.heartbeat-interval        | 11s     | at most a third of lease-ttl 30s | Set idallocator.snowflake.heartbeat-interval to at most 10s
            idallocator.snowflake.safety-margin             | 20s     | must stay below lease-ttl 30s | Set idallocator.snowflake.safety-margin to less than 20s
            idallocator.snowflake.max-handover-wait         | 2m      | between 0 and 1 minute  | Set idallocator.snowflake.max-handover-wait to a duration such as 2s
            idallocator.snowflake.clock-backwards-tolerance | 11s     | between 0 and 10s       | Set idallocator.snowflake.clock-backwards-tolerance to a duration such as 5ms
            idallocator.sequences.orders.step               | 0       | it must be 1 to 10000000 | Set idallocator.sequences.orders.step to a value such as 1000
            idallocator.sequences.orders.max-step           | 10      | between step 1000 and 10000000 | Set idallocator.sequences.orders.max-step to 1000 or more
            idallocator.sequences.orders.prefetch-threshold | 1.5     | above 0 and below 1     | Set idallocator.sequences.orders.prefetch-threshold to a value such as 0.2
            idallocator.sequences.orders.initial-value      | -1      | ids are 0 or more       | Set idallocator.sequences.orders.initial-value to 0 or more
            idallocator.sequences.orders.floor              | -5      | ids are 0 or more       | Set idallocator.sequences.orders.floor to 0 or more
            idallocator.sequences.orders.repair-gap         | -1      | it must be 0 to 2^40    | Set idallocator.sequences.orders.repair-gap to a value such as 4294967296
            idallocator.sequences.orders.recovery-period    | 50ms    | it must be 0 (off) or 100ms to 1h | Set idallocator.sequences.orders.recovery-period to a value such as 10s
            idallocator.primary-sequence                    | invoices | names no configured sequence | Set idallocator.primary-sequence to one of [orders]
            """)
    void aWrongValueFailsStartUpNamingThePropertyTheValueAndTheFix(
            String property, String value, String reason, String fix) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.allocators.orders.max-id", "99",
                "idallocator.sequences.orders.step", "1000"));
        properties.put(property, value);

        FailureAnalysis analysis = analyze(catchThrowable(() -> bind(properties)));

        assertThat(analysis.getDescription()).contains("Invalid value '" + value + "'", "'" + property + "'", reason);
        assertThat(analysis.getAction()).contains(fix);
    }

    @Test
    void aSequenceNameThatBreaksTheKeySchemeFailsStartUp() {
        FailureAnalysis analysis =
                analyze(catchThrowable(() -> bind(Map.of("idallocator.sequences.[or{ders}].step", "10"))));

        assertThat(analysis.getDescription()).contains("idallocator.sequences.or{ders}", "the sequence name must be");
        assertThat(analysis.getAction()).contains("Rename the sequence");
    }

    @Test
    void aLayoutWhoseTimeBitsRanOutFailsStartUp() {
        FailureAnalysis analysis = analyze(catchThrowable(() -> bind(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.snowflake.epoch", "2020-01-01T00:00:00Z",
                "idallocator.snowflake.time-bits", "31",
                "idallocator.snowflake.worker-bits", "20",
                "idallocator.snowflake.sequence-bits", "12"))));

        assertThat(analysis.getDescription())
                .contains(
                        "'idallocator.snowflake.time-bits'", "ran out on " + Instant.parse("2020-01-25T20:31:23.648Z"));
        assertThat(analysis.getAction()).contains("Set idallocator.snowflake.time-bits higher");
    }

    private static IdAllocatorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(IdAllocatorProperties.PREFIX, IdAllocatorProperties.class);
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).as("binding failed").isNotNull();
        FailureAnalysis analysis = new InvalidIdAllocatorPropertyFailureAnalyzer(null).analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }
}
