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
 * Three processes take ids from one segment sequence (two threads each); Redis is killed and restarted empty and a
 * fourth process starts taking ids right after. No id may be handed out twice: an instance that starts after the loss
 * must not hand out ids that running instances handed out or still hold in their segments.
 *
 * <p>Segments of {@value #STEP} ids last several seconds at the workers' pace (about 10 ids per ms per process), so the
 * running instances do not fetch from Redis in the seconds after the restart: the joiner's fetch always comes first,
 * which is the case the sequence must protect by itself (a running instance's next fetch would repair the counter).
 */
class SequenceEmptyRestartFaultTest {

    private static final Duration RECOVERY = Duration.ofSeconds(3);
    private static final String SEQUENCE = "restart-sequence";
    private static final int STEP = 100_000;

    @Test
    void noDuplicateIdsWhenRedisRestartsEmptyAndAnInstanceStartsRightAfter() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("sequence-empty-restart")) {
            List<String> arguments = FaultWorker.arguments(
                    "redis",
                    redis.address(),
                    "sequence",
                    SEQUENCE,
                    "step",
                    STEP,
                    "recovery-ms",
                    RECOVERY.toMillis(),
                    "threads",
                    2,
                    "pace-us",
                    100,
                    "timeout-ms",
                    1000);
            List<WorkerProcess> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                running.add(scenario.start("running" + i, SequenceWorker.class, arguments));
            }
            List<String> joinerArguments = new ArrayList<>(arguments);
            joinerArguments.add("join-on-go=true");
            WorkerProcess joiner = scenario.start("joiner", SequenceWorker.class, joinerArguments);
            running.forEach(w -> w.awaitReady(PROCESS_TIMEOUT));
            joiner.awaitReady(PROCESS_TIMEOUT);
            for (WorkerProcess worker : running) {
                worker.awaitOutput("ISSUED"::equals, PROCESS_TIMEOUT);
            }
            FaultScenario.sleep(Duration.ofSeconds(2));

            redis.restartEmpty();
            joiner.send("go");
            joiner.awaitOutput("ISSUED"::equals, RECOVERY.multipliedBy(3).plus(PROCESS_TIMEOUT));
            FaultScenario.sleep(Duration.ofSeconds(2));
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("sequence-empty-restart: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(logs.idCounts().get(joiner.name()))
                    .as("ids of the joiner")
                    .isPositive();
            scenario.checkUniqueIds(softly, logs, FaultScenario.sequenceErrors());
            softly.assertAll();
        }
    }
}
