package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;
import static io.github.idallocator.fault.SnowflakeFaults.HEARTBEAT;
import static io.github.idallocator.fault.SnowflakeFaults.TTL;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three processes generate Snowflake ids on worker ids 0..2 of 0..3; Redis is killed and restarted empty, and a fourth
 * process joins right after (its JVM is already up; it connects on the command {@code go}). The old holders keep going
 * (re-registering or re-acquiring their worker ids). No worker id may be granted while a process might still issue ids
 * with it: no id may be issued twice.
 */
class SnowflakeEmptyRestartFaultTest {

    /** New grants wait for the recovery period (the lease TTL) after the loss; then the joiner needs one acquisition. */
    private static final Duration JOIN_TIMEOUT = TTL.multipliedBy(3).plus(PROCESS_TIMEOUT);

    @Test
    void noDuplicateIdsWhenRedisRestartsEmptyAndAProcessJoinsRightAfter() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("snowflake-empty-restart")) {
            List<String> arguments =
                    SnowflakeFaults.arguments(redis.address(), "restart-workers", 3, Duration.ofSeconds(2));
            List<WorkerProcess> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                holders.add(scenario.start("holder" + i, SnowflakeWorker.class, arguments));
            }
            List<String> joinerArguments = new ArrayList<>(arguments);
            joinerArguments.add("join-on-go=true");
            WorkerProcess joiner = scenario.start("joiner", SnowflakeWorker.class, joinerArguments);
            holders.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            joiner.awaitReady(PROCESS_TIMEOUT);
            FaultScenario.await("three worker ids leased", PROCESS_TIMEOUT, () -> holders.stream()
                    .allMatch(w -> SnowflakeFaults.firstWorkerId(w).isPresent()));
            FaultScenario.sleep(HEARTBEAT.multipliedBy(2));

            redis.restartEmpty();
            long restarted = System.nanoTime();
            joiner.send("go");
            FaultScenario.await(
                    "the joiner to lease a worker id", JOIN_TIMEOUT, () -> SnowflakeFaults.firstWorkerId(joiner)
                            .isPresent());
            long joined = System.nanoTime();
            FaultScenario.sleep(HEARTBEAT.multipliedBy(2));
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("snowflake-empty-restart: " + logs.summary() + "; the joiner leased a worker id "
                    + (joined - restarted) / 1_000_000 + " ms after the restart");
            SoftAssertions softly = new SoftAssertions();
            for (WorkerProcess holder : holders) {
                long[][] timed = logs.timedIds(holder.name());
                softly.assertThat(LongStream.of(timed[0])
                                .filter(t -> t - joined > 0)
                                .count())
                        .as("ids " + holder.name() + " issued after the joiner joined")
                        .isPositive();
            }
            softly.assertThat(logs.idCounts().get(joiner.name()))
                    .as("ids of the joiner")
                    .isPositive();
            scenario.checkUniqueIds(softly, logs, FaultScenario.snowflakeErrors());
            softly.assertAll();
        }
    }
}
