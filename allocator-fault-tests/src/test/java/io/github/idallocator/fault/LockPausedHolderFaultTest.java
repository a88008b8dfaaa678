package io.github.idallocator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A holder with a 1 s lease checks {@code isHeld()} every 5 ms before each "write" and is stopped with SIGSTOP for
 * longer than its lease; another process waiting for the lock gets it once the lease expired in Redis and keeps it. When
 * the holder is continued, its first check already answers false (self-fencing by its local deadline: it never writes
 * under the lock again), its lease is reported {@code LOST}, and its release is refused by owner and token ({@code
 * HELD_BY_OTHER}), leaving the new holder's lease in Redis untouched.
 */
class LockPausedHolderFaultTest {

    private static final String NAMESPACE = "paused";
    private static final String LOCK = "report";
    private static final Duration HOLDER_LEASE = Duration.ofSeconds(1);
    private static final Duration TAKER_LEASE = Duration.ofSeconds(30);
    private static final Duration TAKER_WAIT = Duration.ofSeconds(20);

    @Test
    void aHolderPausedPastItsLeaseFindsItNotHeldOnResumeLosesItAndCannotReleaseTheNewHoldersLock() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("lock-paused-holder")) {
            LockProcess holder = LockProcess.start(
                    scenario, "holder", LockProcess.arguments(redis.address(), NAMESPACE, HOLDER_LEASE));
            LockProcess taker = LockProcess.start(
                    scenario, "taker", LockProcess.arguments(redis.address(), NAMESPACE, TAKER_LEASE));
            holder.awaitReady();
            taker.awaitReady();
            LockProcess.Acquired first = holder.acquire(LOCK, Duration.ZERO);
            holder.use(LOCK);
            holder.awaitLine("RENEWED " + LOCK, FaultScenario.COMMAND_TIMEOUT);

            holder.process().pause();
            long pausedAt = System.nanoTime();
            LockProcess.Acquired second = taker.acquire(LOCK, TAKER_WAIT);
            FaultScenario.sleep(Duration.ofMillis(300)); // the new holder works under the lock
            long resumedAt = System.nanoTime();
            holder.process().resume();
            holder.awaitLine("NOT-HELD " + LOCK, FaultScenario.COMMAND_TIMEOUT);
            holder.awaitLine("LOST " + LOCK, FaultScenario.COMMAND_TIMEOUT);
            ReleaseOutcome outcome = holder.release(LOCK);
            Map<String, String> stored = LockProcess.hash(redis, LockProcess.key(NAMESPACE, LOCK));
            assertThat(taker.release(LOCK)).isEqualTo(ReleaseOutcome.RELEASED);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("lock-paused-holder: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            List<FaultLogs.Event> checks = holder.marks(logs, "CHECK", LOCK);
            softly.assertThat(checks).as("checks before the pause").anySatisfy(c -> assertThat(c.field(3))
                    .isEqualTo("true"));
            List<FaultLogs.Event> afterPause = checks.stream()
                    .filter(c -> Long.parseLong(c.field(4)) - pausedAt > 0)
                    .toList();
            softly.assertThat(afterPause)
                    .as("checks of isHeld() after the pause: the first one on resume already answers false")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c.field(3)).isEqualTo("false"))
                    .allSatisfy(c -> assertThat(Long.parseLong(c.field(4))).isGreaterThan(resumedAt));
            List<FaultLogs.Event> lost = holder.marks(logs, "LOST", LOCK);
            softly.assertThat(lost).as("LOST events of the paused holder").hasSize(1);
            softly.assertThat(lost)
                    .allSatisfy(e -> assertThat(Long.parseLong(e.field(2))).isEqualTo(first.token()))
                    .allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(resumedAt));
            softly.assertThat(second.token()).as("the new holder's token").isGreaterThan(first.token());
            softly.assertThat(outcome).as("the paused holder's release").isEqualTo(ReleaseOutcome.HELD_BY_OTHER);
            softly.assertThat(stored)
                    .as("the lock in Redis after the paused holder's release")
                    .containsEntry("owner", second.owner())
                    .containsEntry("token", Long.toString(second.token()));
            scenario.checkExclusiveLocks(softly, logs, List.of(LOCK), FaultScenario.lockErrors());
            softly.assertAll();
        }
    }
}
