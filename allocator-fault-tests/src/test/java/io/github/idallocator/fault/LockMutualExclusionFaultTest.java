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
 * Three processes of four threads each run critical sections on four lock names (one picked at random per section),
 * all starting at once. A section begins once {@code acquire} returned and {@code isHeld()} was checked and ends before
 * the release is sent; every process logs both with {@link System#nanoTime()}, one clock for the whole machine. No two
 * sections of one lock may overlap in time, and fencing tokens must strictly increase per lock in the order the sections
 * began.
 */
class LockMutualExclusionFaultTest {

    private static final List<String> LOCKS = List.of("mutex-0", "mutex-1", "mutex-2", "mutex-3");
    private static final int PROCESSES = 3;
    private static final int THREADS = 4;
    private static final int SECTIONS_PER_THREAD = 500;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void sectionsOfOneLockNeverOverlapAcrossProcessesAndTokensIncreaseInEnterOrder() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("lock-mutual-exclusion")) {
            List<String> arguments = FaultWorker.arguments(
                    "redis",
                    redis.address(),
                    "namespace",
                    "mutex",
                    "lease-ms",
                    10_000,
                    "threads",
                    THREADS,
                    "locks",
                    String.join(",", LOCKS),
                    "sections",
                    SECTIONS_PER_THREAD,
                    "work-max-us",
                    300,
                    "wait-ms",
                    30_000,
                    "join-on-go",
                    true);
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                workers.add(scenario.start("p" + i, LockWorker.class, arguments));
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
            List<FaultLogs.Hold> holds =
                    LOCKS.stream().flatMap(name -> logs.holds(name).stream()).toList();
            long handOffs =
                    LOCKS.stream().mapToLong(name -> handOffs(logs.holds(name))).sum();
            System.out.printf(
                    "lock-mutual-exclusion: %d sections in %d ms (%d hand-offs between processes); %s%n",
                    holds.size(), took / 1_000_000, handOffs, logs.summary());
            SoftAssertions softly = new SoftAssertions();
            Map<String, Long> perProcess =
                    holds.stream().collect(Collectors.groupingBy(FaultLogs.Hold::process, Collectors.counting()));
            softly.assertThat(perProcess)
                    .as("critical sections per process")
                    .containsOnlyKeys("p0", "p1", "p2")
                    .allSatisfy((process, count) -> softly.assertThat(count).isEqualTo(THREADS * SECTIONS_PER_THREAD));
            softly.assertThat(handOffs)
                    .as("sections that followed one of another process on the same lock")
                    .isGreaterThan(holds.size() / 10);
            scenario.checkExclusiveLocks(softly, logs, LOCKS, FaultScenario.lockErrors());
            softly.assertAll();
        }
    }

    /** How many holds followed, on the same lock, a hold of another process. */
    private static long handOffs(List<FaultLogs.Hold> holds) {
        long count = 0;
        for (int i = 1; i < holds.size(); i++) {
            if (!holds.get(i).process().equals(holds.get(i - 1).process())) {
                count++;
            }
        }
        return count;
    }
}
