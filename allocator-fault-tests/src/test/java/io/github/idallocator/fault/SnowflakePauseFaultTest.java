package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;
import static io.github.idallocator.fault.SnowflakeFaults.HEARTBEAT;
import static io.github.idallocator.fault.SnowflakeFaults.TTL;
import static io.github.idallocator.fault.SnowflakeFaults.acquisitions;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Five JVMs generate Snowflake ids on worker ids 0..3, two threads each (one process waits for a free worker id). One
 * holder is stopped with SIGSTOP while generating and continued only after its worker id was leased to another process;
 * another holder is killed with SIGKILL and replaced. No id may be issued twice: a generator must never issue an
 * id stamped after its lease, wherever a thread was suspended.
 */
class SnowflakePauseFaultTest {

    private static final Duration HANDOVER = Duration.ofSeconds(2);

    /** Expiry in Redis takes at most a TTL after the last renewal; the waiting process retries every 100 ms. */
    private static final Duration TAKEOVER_TIMEOUT = TTL.multipliedBy(3).plus(PROCESS_TIMEOUT);

    @Test
    void noDuplicateIdsWhenAHolderIsPausedPastItsLeaseOrKilled() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("snowflake-pause")) {
            List<String> arguments = SnowflakeFaults.arguments(redis.address(), "pause-workers", 3, HANDOVER);
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                workers.add(scenario.start("p" + i, SnowflakeWorker.class, arguments));
            }
            workers.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            FaultScenario.await(
                    "worker ids 0..3 leased",
                    TAKEOVER_TIMEOUT,
                    () -> workers.stream()
                                    .filter(w ->
                                            SnowflakeFaults.firstWorkerId(w).isPresent())
                                    .count()
                            >= 4);
            FaultScenario.sleep(HEARTBEAT.multipliedBy(2));

            // The paused process and the killed one: two that hold a worker id now.
            List<WorkerProcess> holding = workers.stream()
                    .filter(w -> SnowflakeFaults.latestWorkerId(w).isPresent())
                    .toList();
            WorkerProcess paused = holding.get(0);
            long pausedWorkerId = SnowflakeFaults.latestWorkerId(paused).orElseThrow();
            WorkerProcess killed = holding.get(1);
            List<WorkerProcess> others = new ArrayList<>(workers);
            others.remove(paused);
            long before = acquisitions(others, pausedWorkerId);
            paused.pause();
            FaultScenario.await(
                    "worker id " + pausedWorkerId + " leased by another process",
                    TAKEOVER_TIMEOUT,
                    () -> acquisitions(others, pausedWorkerId) > before);
            FaultScenario.sleep(HEARTBEAT); // the new holder generates
            paused.resume();
            FaultScenario.sleep(HEARTBEAT.multipliedBy(2));

            long killedWorkerId = SnowflakeFaults.latestWorkerId(killed).orElseThrow();
            List<WorkerProcess> survivors = new ArrayList<>(workers);
            survivors.remove(killed);
            long beforeKill = acquisitions(survivors, killedWorkerId);
            killed.kill9();
            WorkerProcess replacement = scenario.start("p5", SnowflakeWorker.class, arguments);
            survivors.add(replacement);
            replacement.awaitReady(PROCESS_TIMEOUT);
            FaultScenario.await(
                    "worker id " + killedWorkerId + " leased again",
                    TAKEOVER_TIMEOUT,
                    () -> acquisitions(survivors, killedWorkerId) > beforeKill);
            FaultScenario.sleep(HEARTBEAT.multipliedBy(2));
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("snowflake-pause: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(logs.idCounts().get(paused.name()))
                    .as("ids of the paused process")
                    .isPositive();
            scenario.checkUniqueIds(softly, logs, FaultScenario.snowflakeErrors());
            softly.assertAll();
        }
    }
}
