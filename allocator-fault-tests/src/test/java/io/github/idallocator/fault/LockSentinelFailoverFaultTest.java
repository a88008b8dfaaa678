package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.RedisSentinelProcesses;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Locks through Sentinel (Lettuce with {@code RedisSentinelConfiguration}, so clients follow a failover) with {@code
 * replicaAcks(1)}: a grant counts only once the replica confirmed it ({@code WAIT}), so a failover cannot lose a lock
 * someone relies on. Without the replica's confirmation an acquisition fails and leaves no owner behind; with it, no
 * lock is held twice across a {@code SENTINEL FAILOVER} (the old primary keeps accepting writes until the Sentinel
 * demotes it, about 15 s later, but without a replica it can confirm no grant).
 */
class LockSentinelFailoverFaultTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(300);
    private static final List<String> LOCKS = List.of("failover-0", "failover-1", "failover-2");

    @Test
    void withTheReplicaStoppedAnAcquisitionFailsWithReplicaAckExceptionAndLeavesNoOwner() {
        String namespace = "replica-stopped";
        String lock = "confirmed";
        try (RedisSentinelProcesses redis = RedisSentinelProcesses.start();
                FaultScenario scenario = new FaultScenario("lock-replica-stopped")) {
            LockProcess worker = LockProcess.start(scenario, "worker", arguments(redis, namespace))
                    .awaitReady();
            // Right after a sync a first WAIT may count no replica until it acknowledged a write: try again then.
            LockProcess.Acquired first = worker.acquireEventually(lock, PROCESS_TIMEOUT);
            worker.release(lock);

            RedisServerProcess replica = redis.currentReplica();
            FaultScenario.signal(replica.pid(), "STOP");
            String failure;
            Map<String, String> stored;
            Object ttl;
            try {
                worker.startAcquire(lock, Duration.ZERO);
                failure = worker.awaitNotAcquired(FaultScenario.COMMAND_TIMEOUT);
                RedisServerProcess primary = redis.currentPrimary();
                stored = LockProcess.hash(primary, LockProcess.key(namespace, lock));
                ttl = primary.command("PTTL", LockProcess.key(namespace, lock));
            } finally {
                FaultScenario.signal(replica.pid(), "CONT");
            }
            LockProcess.Acquired after = worker.acquireEventually(lock, PROCESS_TIMEOUT);
            worker.release(lock);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("lock-replica-stopped: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(failure)
                    .as("why the acquisition failed with the replica stopped")
                    .isEqualTo("ReplicaAckException");
            softly.assertThat(stored)
                    .as("the lock in Redis after the unconfirmed grant")
                    .doesNotContainKey("owner");
            softly.assertThat(Long.parseLong(ttl.toString()))
                    .as("its TTL (the token's tombstone; -2: no key)")
                    .isNotEqualTo(-1L);
            softly.assertThat(after.token())
                    .as("token once the replica runs again")
                    .isGreaterThan(first.token());
            FaultLogs.Violations errors = logs.errorViolations(FaultScenario.lockErrors());
            softly.assertThat(errors.count()).as(errors.toString()).isZero();
            softly.assertAll();
        }
    }

    @Test
    void noLockIsHeldTwiceAcrossASentinelFailoverWithReplicaAcks() {
        try (RedisSentinelProcesses redis = RedisSentinelProcesses.start();
                FaultScenario scenario = new FaultScenario("lock-sentinel-failover")) {
            List<String> arguments = new ArrayList<>(arguments(redis, "failover"));
            arguments.addAll(FaultWorker.arguments(
                    "threads", 2,
                    "locks", String.join(",", LOCKS),
                    "work-max-us", 20_000,
                    "wait-ms", 2_000));
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(scenario.start("p" + i, LockWorker.class, arguments));
            }
            workers.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            for (WorkerProcess worker : workers) {
                worker.awaitOutput("SECTION 1"::equals, PROCESS_TIMEOUT);
            }
            FaultScenario.sleep(LEASE);

            RedisServerProcess oldPrimary = redis.currentPrimary();
            long failover = System.nanoTime();
            redis.failover();
            redis.awaitReplicaInSync(oldPrimary); // demoted by the Sentinel; its clients are disconnected then
            long recovered = System.nanoTime();
            FaultScenario.sleep(LEASE);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            List<FaultLogs.Hold> holds =
                    LOCKS.stream().flatMap(name -> logs.holds(name).stream()).toList();
            System.out.println("lock-sentinel-failover: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(holds.stream().filter(h -> h.startNanos() - failover < 0))
                    .as("critical sections before the failover")
                    .isNotEmpty();
            softly.assertThat(holds.stream().filter(h -> h.startNanos() - recovered > 0))
                    .as("critical sections once the old primary was a replica again")
                    .isNotEmpty();
            scenario.checkExclusiveLocks(softly, logs, LOCKS, FaultScenario.lockErrors());
            softly.assertAll();
        }
    }

    private static List<String> arguments(RedisSentinelProcesses redis, String namespace) {
        return FaultWorker.arguments(
                "sentinel",
                redis.sentinelHost() + ":" + redis.sentinelPort() + "/" + redis.masterName(),
                "namespace",
                namespace,
                "lease-ms",
                LEASE.toMillis(),
                "replica-acks",
                1,
                "ack-timeout-ms",
                ACK_TIMEOUT.toMillis());
    }
}
