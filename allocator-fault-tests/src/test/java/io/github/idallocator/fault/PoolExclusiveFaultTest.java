package io.github.idallocator.fault;

import static io.github.idallocator.fault.FaultScenario.PROCESS_TIMEOUT;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three processes of eight threads each acquire resources of one pool of six, hold each for a random time up to 3 ms and
 * release it, all starting at once, so that most acquisitions wait. A hold begins once {@code acquire} returned and
 * {@code isHeld()} was checked and ends before the release is sent (after {@code isHeld()} was checked again); every
 * process logs both with {@link System#nanoTime()}, one clock for the whole machine. In exclusive mode no two holds of
 * one resource may overlap in time, and fencing tokens must strictly increase per resource in the order the holds
 * began; in shared mode no resource may have more holders at once than its cap. In both, a token is never handed out
 * twice and is above the token of every hold that ended before its acquisition was sent.
 */
class PoolExclusiveFaultTest {

    private static final int RESOURCES = 6;
    private static final int PROCESSES = 3;
    private static final int THREADS = 8;
    private static final int HOLDS_PER_THREAD = 100;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void exclusiveModeNeverHandsOneResourceToTwoHoldersAndTokensIncreaseInEnterOrder() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("pool-exclusive")) {
            String pool = "exclusive";
            FaultLogs logs = run(scenario, redis, pool, 1);

            SoftAssertions softly = new SoftAssertions();
            checkEveryHoldAndEveryResource(softly, logs, pool);
            FaultLogs.Violations overlaps = logs.overlappingHolds(pool);
            softly.assertThat(overlaps.count()).as(overlaps.toString()).isZero();
            FaultLogs.Violations tokens = logs.tokenViolations(pool);
            softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
            checkTokenOrderAndErrors(softly, scenario, logs, pool);
            softly.assertAll();
        }
    }

    @Test
    void sharedModeNeverPutsMoreHoldersOnOneResourceThanItsCap() {
        int maxHolders = 3;
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("pool-shared")) {
            String pool = "shared";
            FaultLogs logs = run(scenario, redis, pool, maxHolders);

            SoftAssertions softly = new SoftAssertions();
            checkEveryHoldAndEveryResource(softly, logs, pool);
            FaultLogs.Violations beyondCap = logs.holdsBeyond(pool, maxHolders);
            softly.assertThat(beyondCap.count()).as(beyondCap.toString()).isZero();
            softly.assertThat(logs.holdsBeyond(pool, maxHolders - 1).count())
                    .as("holds that began while %d others held their resource (the cap was reached)", maxHolders - 1)
                    .isPositive();
            checkTokenOrderAndErrors(softly, scenario, logs, pool);
            softly.assertAll();
        }
    }

    /** Runs the holds of every process at once on {@code pool} and returns the merged logs. */
    private static FaultLogs run(FaultScenario scenario, RedisServerProcess redis, String pool, int maxHolders) {
        List<String> arguments = PoolProcess.arguments(
                redis.address(),
                pool,
                RESOURCES,
                Duration.ofSeconds(10),
                "max-holders",
                maxHolders,
                "threads",
                THREADS,
                "sections",
                HOLDS_PER_THREAD,
                "work-max-us",
                3_000,
                "wait-ms",
                30_000,
                "join-on-go",
                true);
        List<WorkerProcess> workers = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            workers.add(scenario.start("p" + i, PoolWorker.class, arguments));
        }
        workers.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
        long started = System.nanoTime();
        workers.forEach(w -> w.send("go"));
        for (WorkerProcess worker : workers) {
            worker.awaitOutput(line -> line.startsWith("FINISHED "), RUN_TIMEOUT);
        }
        long took = System.nanoTime() - started;
        scenario.stopAll();
        FaultLogs logs = scenario.logs();
        List<FaultLogs.Hold> holds = logs.holds(pool);
        System.out.printf(
                "pool-%s: %d holds in %d ms (%d hand-offs between processes); %s%n",
                pool, holds.size(), took / 1_000_000, handOffs(holds), logs.summary());
        return logs;
    }

    /**
     * Every process did all its holds, every one found its lease held on entry and released it, every resource was
     * used, and resources often went from one process to another.
     */
    private static void checkEveryHoldAndEveryResource(SoftAssertions softly, FaultLogs logs, String pool) {
        List<FaultLogs.Hold> holds = logs.holds(pool);
        Map<String, Long> perProcess =
                holds.stream().collect(Collectors.groupingBy(FaultLogs.Hold::process, Collectors.counting()));
        softly.assertThat(perProcess)
                .as("holds per process")
                .containsOnlyKeys("p0", "p1", "p2")
                .allSatisfy((process, count) -> softly.assertThat(count).isEqualTo(THREADS * HOLDS_PER_THREAD));
        softly.assertThat(holds.stream().map(FaultLogs.Hold::id).distinct().count())
                .as("resources held")
                .isEqualTo(RESOURCES);
        softly.assertThat(holds)
                .as("holds that ended otherwise than by their release")
                .allSatisfy(h -> softly.assertThat(h.endReason()).isEqualTo("released"));
        softly.assertThat(logs.marks("NOT-HELD-ON-ENTRY"))
                .as("leases not held on entry")
                .isEmpty();
        softly.assertThat(logs.marks("RELEASE-REFUSED"))
                .as("releases not RELEASED")
                .isEmpty();
        softly.assertThat(handOffs(holds))
                .as("holds that followed one of another process on the same resource")
                .isGreaterThan(holds.size() / 10);
    }

    private static void checkTokenOrderAndErrors(
            SoftAssertions softly, FaultScenario scenario, FaultLogs logs, String pool) {
        FaultLogs.Violations order = PoolLogs.tokenOrderViolations(logs, pool);
        softly.assertThat(order.count()).as(order.toString()).isZero();
        scenario.checkErrors(softly, logs, FaultScenario.poolErrors());
    }

    /** How many holds followed, on the same resource, a hold of another process. */
    private static long handOffs(List<FaultLogs.Hold> holds) {
        Map<Long, List<FaultLogs.Hold>> byResource = holds.stream().collect(Collectors.groupingBy(FaultLogs.Hold::id));
        long count = 0;
        for (List<FaultLogs.Hold> ofOne : byResource.values()) {
            for (int i = 1; i < ofOne.size(); i++) {
                if (!ofOne.get(i).process().equals(ofOne.get(i - 1).process())) {
                    count++;
                }
            }
        }
        return count;
    }
}
