package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.idallocator.range.IdAllocatorConfig;
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
        IdAllocatorProperties properties = bind(Map.of());
        CoreConfigMapping.SnowflakeConfig snowflake = CoreConfigMapping.snowflake(properties);

        assertThat(properties.snowflake().enabled()).isFalse();
        assertThat(snowflake.layout()).isEqualTo(SnowflakeLayout.DEFAULT);
        assertThat(snowflake.lease()).isEqualTo(WorkerLeaseSettings.DEFAULT);
        assertThat(properties.snowflake().clockBackwardsTolerance())
                .isEqualTo(SnowflakeIdGenerator.DEFAULT_CLOCK_BACKWARDS_TOLERANCE);
        assertThat(snowflake.workers().name()).isEqualTo("snowflake-workers");
        assertThat(snowflake.workers().minId()).isZero();
        assertThat(snowflake.workers().maxId()).isEqualTo(1023);
    }

    @Test
    void theWorkerIdRangeDefaultsToEveryWorkerIdTheLayoutHolds() {
        IdAllocatorProperties properties = bind(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.snowflake.time-bits", "45",
                "idallocator.snowflake.worker-bits", "6"));

        assertThat(CoreConfigMapping.snowflake(properties).workers().maxId()).isEqualTo(63);
    }

    @Test
    void theWorkerAllocatorHandsFreedWorkerIdsOutAgainAtOnce() {
        IdAllocatorConfig workers = CoreConfigMapping.snowflake(bind(Map.of("idallocator.key-prefix", "myapp")))
                .workers();

        assertThat(workers.reuseDelay()).isZero();
        assertThat(workers.keyPrefix()).isEqualTo("myapp");
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

        assertThat(CoreConfigMapping.sequence(properties, "orders"))
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
        IdAllocatorProperties properties = bindAndCheck(Map.of("idallocator.snowflake.worker-bits", "30"));

        assertThat(properties.snowflake().workerBits()).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            idallocator.snowflake.time-bits                 | 40      | must fill the 63 bits   | for example with time-bits 41 or worker-bits 11 or sequence-bits 13
            idallocator.snowflake.sequence-bits             | 0       | at least 1 bit          | Change idallocator.snowflake.sequence-bits: use a value such as 12
            idallocator.snowflake.worker-bits               | 21      | at most 20 worker bits  | Change idallocator.snowflake.worker-bits: use 20 or fewer
            idallocator.snowflake.tick                      | PT0.0015S | whole number of milliseconds | Change idallocator.snowflake.tick: use a duration such as 1 ms
            idallocator.snowflake.epoch                     | 2999-01-01T00:00:00Z | lies in the future | Change idallocator.snowflake.epoch: use an instant in the past
            idallocator.snowflake.worker-id-min             | -1      | run from 0 to 1023      | Change idallocator.snowflake.worker-id-min: use a first worker id from 0 to 1023
            idallocator.snowflake.worker-id-max             | 1024    | does not fit the layout's 10 worker bits | Change idallocator.snowflake.worker-id-max: use at most 1023
            idallocator.snowflake.allocator-name            | my{workers} | the allocator name must be | Change idallocator.snowflake.allocator-name: use letters, digits
            idallocator.snowflake.allocator-name            | orders  | an allocator of that name is configured | Set idallocator.snowflake.allocator-name to a name no allocator uses
            idallocator.snowflake.lease-ttl                 | 20ms    | at least 30 ms          | Change idallocator.snowflake.lease-ttl: use a duration such as PT30S
            idallocator.snowflake.heartbeat-interval        | 11s     | at most a third of ttl PT30S | Change idallocator.snowflake.heartbeat-interval: use at most PT10S
            idallocator.snowflake.safety-margin             | 20s     | must stay below ttl PT30S | Change idallocator.snowflake.safety-margin: use less than PT20S
            idallocator.snowflake.max-handover-wait         | 2m      | between zero and PT1M   | Change idallocator.snowflake.max-handover-wait: use a duration such as PT2S
            idallocator.snowflake.clock-backwards-tolerance | 11s     | between zero and PT10S  | Change idallocator.snowflake.clock-backwards-tolerance: use a duration such as PT0.005S
            idallocator.sequences.orders.step               | 0       | must be 1 to 10000000   | Change idallocator.sequences.orders.step: use a value such as 1000
            idallocator.sequences.orders.max-step           | 10      | between step 1000 and 10000000 | Change idallocator.sequences.orders.max-step: use 1000 or more
            idallocator.sequences.orders.prefetch-threshold | 1.5     | above 0 and below 1     | Change idallocator.sequences.orders.prefetch-threshold: use a value such as 0.2
            idallocator.sequences.orders.initial-value      | -1      | ids are 0 or more       | Change idallocator.sequences.orders.initial-value: use 0 or more
            idallocator.sequences.orders.floor              | -5      | ids are 0 or more       | Change idallocator.sequences.orders.floor: use 0 or more
            idallocator.sequences.orders.repair-gap         | -1      | must be 0 to 2^40       | Change idallocator.sequences.orders.repair-gap: use a value such as 4294967296
            idallocator.sequences.orders.recovery-period    | 50ms    | must be zero (off) or PT0.1S to PT1H | Change idallocator.sequences.orders.recovery-period: use a duration such as PT10S
            idallocator.primary-sequence                    | invoices | names no configured sequence | Set idallocator.primary-sequence to one of [orders]
            """)
    void aWrongValueFailsStartUpNamingThePropertyTheValueAndTheFix(
            String property, String value, String reason, String fix) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.allocators.orders.max-id", "99",
                "idallocator.sequences.orders.step", "1000"));
        properties.put(property, value);

        FailureAnalysis analysis = analyze(catchThrowable(() -> bindAndCheck(properties)));

        assertThat(analysis.getDescription()).contains("Invalid value '" + value + "'", "'" + property + "'", reason);
        assertThat(analysis.getAction()).contains(fix);
    }

    @Test
    void aSequenceNameThatBreaksTheKeySchemeFailsStartUp() {
        FailureAnalysis analysis =
                analyze(catchThrowable(() -> bindAndCheck(Map.of("idallocator.sequences.[or{ders}].step", "10"))));

        assertThat(analysis.getDescription()).contains("idallocator.sequences.or{ders}", "the sequence name must be");
        assertThat(analysis.getAction()).contains("Rename the sequence");
    }

    @Test
    void aLayoutWhoseTimeBitsRanOutFailsStartUp() {
        FailureAnalysis analysis = analyze(catchThrowable(() -> bindAndCheck(Map.of(
                "idallocator.snowflake.enabled", "true",
                "idallocator.snowflake.epoch", "2020-01-01T00:00:00Z",
                "idallocator.snowflake.time-bits", "31",
                "idallocator.snowflake.worker-bits", "20",
                "idallocator.snowflake.sequence-bits", "12"))));

        assertThat(analysis.getDescription())
                .contains(
                        "'idallocator.snowflake.time-bits'", "ran out on " + Instant.parse("2020-01-25T20:31:23.648Z"));
        assertThat(analysis.getAction()).contains("Change idallocator.snowflake.time-bits: use more time bits");
    }

    private static IdAllocatorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(IdAllocatorProperties.PREFIX, IdAllocatorProperties.class);
    }

    private static IdAllocatorProperties bindAndCheck(Map<String, String> properties) {
        return CheckedProperties.check(bind(properties));
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).as("binding failed").isNotNull();
        FailureAnalysis analysis = new InvalidIdAllocatorPropertyFailureAnalyzer(null).analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }
}
