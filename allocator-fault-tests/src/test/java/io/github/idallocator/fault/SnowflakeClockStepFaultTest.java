package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.COMMAND_TIMEOUT;
import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;
import static io.github.idallocator.fault.SnowflakeFaults.HEARTBEAT;
import static io.github.idallocator.fault.SnowflakeFaults.TTL;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A process's wall clock runs {@value #STEP_MILLIS} ms fast for two seconds (its ids are stamped that far ahead), then
 * steps back to true time; after its next renewals the process is killed with SIGKILL. The next holder of its worker id
 * (the only one) must issue no id the first one issued: the note a holder leaves must never be below a timestamp it
 * used, whatever its wall clock did.
 */
class SnowflakeClockStepFaultTest {

    private static final long STEP_MILLIS = 10_000;
    private static final Duration FAST_FOR = Duration.ofSeconds(2);

    /** Long enough for the successor to wait out the whole step rather than give up (there is no other worker id). */
    private static final Duration HANDOVER = Duration.ofMillis(STEP_MILLIS).multipliedBy(2);

    @Test
    void successorIssuesNoIdOfAPredecessorWhoseClockSteppedBack() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("snowflake-clock-step")) {
            var arguments = SnowflakeFaults.arguments(redis.address(), "step-workers", 0, HANDOVER);
            WorkerProcess first = scenario.start("first", SnowflakeWorker.class, arguments);
            first.awaitReady(PROCESS_TIMEOUT);
            FaultScenario.await(
                    "the first process to lease worker id 0",
                    PROCESS_TIMEOUT,
                    () -> SnowflakeFaults.firstWorkerId(first).isPresent());
            FaultScenario.sleep(HEARTBEAT);

            first.command("clock-offset " + STEP_MILLIS, COMMAND_TIMEOUT);
            FaultScenario.sleep(FAST_FOR);
            first.command("clock-offset 0", COMMAND_TIMEOUT);
            long steppedBack = System.currentTimeMillis();
            long renewed = SnowflakeFaults.renewals(first);
            // Two renewals after the step back: the note now says what the holder claims after the step.
            FaultScenario.await(
                    "two renewals after the clock stepped back",
                    HEARTBEAT.multipliedBy(4).plus(PROCESS_TIMEOUT),
                    () -> SnowflakeFaults.renewals(first) >= renewed + 2);
            first.kill9();

            long lastOfFirst = Arrays.stream(scenario.logs().ids(first.name()))
                    .map(SnowflakeFaults::timestampMillis)
                    .max()
                    .orElseThrow();
            WorkerProcess second = scenario.start("second", SnowflakeWorker.class, arguments);
            second.awaitReady(PROCESS_TIMEOUT);
            FaultScenario.await(
                    "the second process to lease worker id 0",
                    TTL.plus(HANDOVER).plus(PROCESS_TIMEOUT),
                    () -> SnowflakeFaults.firstWorkerId(second).isPresent());
            second.awaitOutput("ISSUED"::equals, TTL.multipliedBy(2).plus(PROCESS_TIMEOUT));
            FaultScenario.sleep(HEARTBEAT);
            // Until the second process's clock is well past every timestamp the first one used.
            FaultScenario.await(
                    "true time to pass the first process's last timestamp",
                    Duration.ofMillis(STEP_MILLIS).plus(PROCESS_TIMEOUT),
                    () -> System.currentTimeMillis() > lastOfFirst + HEARTBEAT.toMillis());
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println(
                    "snowflake-clock-step: " + logs.summary() + "; first process's last timestamp " + lastOfFirst);
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(lastOfFirst)
                    .as("the first process issued ids stamped ahead of true time")
                    .isGreaterThan(steppedBack + STEP_MILLIS / 2);
            softly.assertThat(logs.idCounts().get(second.name()))
                    .as("ids of the second process")
                    .isPositive();
            scenario.checkUniqueIds(softly, logs, FaultScenario.snowflakeErrors());
            softly.assertAll();
        }
    }
}
