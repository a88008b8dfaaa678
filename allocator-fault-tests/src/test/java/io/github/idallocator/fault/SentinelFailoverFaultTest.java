package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;
import static io.github.idallocator.fault.RangeEmptyRestartFaultTest.TTL;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.RedisSentinelProcesses;
import io.github.idallocator.test.WorkerProcess;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three processes hold range leases through Sentinel (Lettuce with {@code RedisSentinelConfiguration}, so they follow a
 * failover) with {@code replicaAcks(1)}: every grant and extension is confirmed by the replica before the caller gets
 * it. First {@code SENTINEL FAILOVER} (the old primary keeps accepting writes until the Sentinel demotes it, about 15 s
 * later), then the new primary is killed with SIGKILL and, once the Sentinel promoted the other, restarted as its
 * replica. No two holders may hold one id at overlapping times, fencing tokens must keep increasing per id, and every
 * exception must be of a type the caller can act on.
 */
class SentinelFailoverFaultTest {

    private static final String ALLOCATOR = "sentinel-range";

    @Test
    void noOverlappingHoldsAcrossSentinelFailoverAndAKilledPrimaryWithReplicaAcks() {
        try (RedisSentinelProcesses redis = RedisSentinelProcesses.start();
                FaultScenario scenario = new FaultScenario("sentinel-failover")) {
            List<String> arguments = RangeEmptyRestartFaultTest.arguments(
                    ALLOCATOR,
                    "sentinel",
                    redis.sentinelHost() + ":" + redis.sentinelPort() + "/" + redis.masterName(),
                    "recovery-ms",
                    0,
                    "replica-acks",
                    1,
                    "ack-timeout-ms",
                    300);
            List<WorkerProcess> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                holders.add(scenario.start("holder" + i, RangeWorker.class, arguments));
            }
            holders.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            for (WorkerProcess holder : holders) {
                holder.awaitOutput("HELD 1"::equals, PROCESS_TIMEOUT);
            }
            FaultScenario.sleep(TTL);

            RedisServerProcess oldPrimary = redis.currentPrimary();
            redis.failover();
            redis.awaitReplicaInSync(oldPrimary); // demoted by the Sentinel; its clients are disconnected then
            FaultScenario.sleep(TTL);

            RedisServerProcess killed = redis.currentPrimary();
            redis.killPrimary();
            redis.restartAsReplica(killed);
            long recovered = System.nanoTime();
            FaultScenario.sleep(TTL.multipliedBy(2));
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("sentinel-failover: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(logs.holds(ALLOCATOR).stream()
                            .filter(h -> h.startNanos() - recovered > 0)
                            .count())
                    .as("holds taken after the killed primary came back as a replica")
                    .isPositive();
            scenario.checkExclusiveHolds(softly, logs, ALLOCATOR, FaultScenario.rangeErrors());
            softly.assertAll();
        }
    }
}
