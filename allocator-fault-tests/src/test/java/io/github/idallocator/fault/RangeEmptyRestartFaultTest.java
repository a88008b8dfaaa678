package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three processes hold range leases of ids 0..9 (up to three each, renewed every third of the 3 s lease, used only while
 * {@code isHeld()}, freed after 0.2 to 1.5 s); Redis is killed and restarted empty and a fourth process starts
 * allocating right after. With the protection on ({@code recoveryPeriod} = the lease time) no two holders may hold one
 * id at overlapping times, and fencing tokens must keep increasing per id and never repeat.
 */
class RangeEmptyRestartFaultTest {

    static final Duration TTL = Duration.ofSeconds(3);
    private static final String ALLOCATOR = "restart-range";

    static List<String> arguments(String allocator, Object... more) {
        List<String> arguments = new ArrayList<>(FaultWorker.arguments(
                "allocator", allocator,
                "min", 0,
                "max", 9,
                "ttl-ms", TTL.toMillis(),
                "holds", 3,
                "hold-min-ms", 200,
                "hold-max-ms", 1500,
                "timeout-ms", 1000));
        arguments.addAll(FaultWorker.arguments(more));
        return arguments;
    }

    @Test
    void noOverlappingHoldsAndNoRepeatedTokensAfterAnEmptyRestart() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("range-empty-restart")) {
            List<String> arguments = arguments(ALLOCATOR, "redis", redis.address(), "recovery-ms", TTL.toMillis());
            List<WorkerProcess> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                holders.add(scenario.start("holder" + i, RangeWorker.class, arguments));
            }
            List<String> joinerArguments = new ArrayList<>(arguments);
            joinerArguments.add("join-on-go=true");
            WorkerProcess joiner = scenario.start("joiner", RangeWorker.class, joinerArguments);
            holders.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            joiner.awaitReady(PROCESS_TIMEOUT);
            for (WorkerProcess holder : holders) {
                holder.awaitOutput("HELD 1"::equals, PROCESS_TIMEOUT);
            }
            FaultScenario.sleep(TTL);

            redis.restartEmpty();
            long restarted = System.nanoTime();
            joiner.send("go");
            FaultScenario.sleep(TTL.multipliedBy(3)); // the recovery period, then a few leases each
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("range-empty-restart: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(logs.holds(ALLOCATOR).stream()
                            .filter(h -> h.process().equals(joiner.name()))
                            .count())
                    .as("holds of the joiner")
                    .isPositive();
            softly.assertThat(logs.holds(ALLOCATOR).stream()
                            .filter(h -> h.startNanos() - restarted - TTL.toNanos() > 0)
                            .filter(h -> !h.process().equals(joiner.name()))
                            .count())
                    .as("holds the old holders took after the recovery period")
                    .isPositive();
            scenario.checkExclusiveHolds(softly, logs, ALLOCATOR, FaultScenario.rangeErrors());
            softly.assertAll();
        }
    }
}
