package io.github.idallocator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Redis loses every lock (restarted without persistence, or {@code FLUSHALL}) while a process holds one with a 3 s
 * lease, renewed every second, and another process runs critical sections on two other locks in two threads. The
 * holder learns of the loss at its next renewal, which Redis refuses: it is told {@code LOST} and {@code isHeld()}
 * answers false from then on, well before its lease time has passed. Fencing tokens issued after the loss are greater
 * than every token issued before it (they come from the Redis clock once the stored ones are gone).
 */
class LockDataLossFaultTest {

    private static final String LOCK = "ledger";
    private static final List<String> CYCLED = List.of("cycled-0", "cycled-1");
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RUN = Duration.ofSeconds(1);

    @Test
    void aHolderLearnsAtItsNextRenewalThatRedisRestartedEmptyAndLaterTokensAreGreater() {
        String namespace = "restart-empty";
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("lock-empty-restart")) {
            LockProcess holder = LockProcess.start(scenario, "holder", arguments(redis, namespace));
            LockProcess other = LockProcess.start(scenario, "other", cyclerArguments(redis, namespace));
            holder.awaitReady();
            other.awaitReady();
            LockProcess.Acquired before = holder.acquire(LOCK, Duration.ZERO);
            holder.use(LOCK);
            FaultScenario.sleep(RUN);

            redis.restartEmpty();
            long lostAt = System.nanoTime();
            holder.awaitLine("LOST " + LOCK, LEASE);
            holder.awaitLine("NOT-HELD " + LOCK, FaultScenario.COMMAND_TIMEOUT);
            LockProcess.Acquired after = other.acquire(LOCK, Duration.ZERO);
            FaultScenario.sleep(RUN);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("lock-empty-restart: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            checkLearnedAtRenewal(softly, logs, holder, before, lostAt, "Redis no longer holds it");
            softly.assertThat(after.token()).as("token after the restart").isGreaterThan(before.token());
            checkTokensAfterLossAreGreater(softly, logs, lostAt);
            softly.assertAll();
        }
    }

    @Test
    void aHolderLearnsAtItsNextRenewalThatAnotherOwnerTookTheLockAfterFlushallAndLaterTokensAreGreater() {
        String namespace = "flushall";
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("lock-flushall")) {
            LockProcess holder = LockProcess.start(scenario, "holder", arguments(redis, namespace));
            LockProcess other = LockProcess.start(scenario, "other", cyclerArguments(redis, namespace));
            holder.awaitReady();
            other.awaitReady();
            LockProcess.Acquired before = holder.acquire(LOCK, Duration.ZERO);
            holder.use(LOCK);
            FaultScenario.sleep(RUN);
            long renewals = holder.lines("RENEWED " + LOCK);
            FaultScenario.await("a renewal of the holder", LEASE, () -> holder.lines("RENEWED " + LOCK) > renewals);

            // Right after a renewal: the next one comes about a second later, after the other process took the lock.
            redis.flushAll();
            long lostAt = System.nanoTime();
            LockProcess.Acquired after = other.acquire(LOCK, Duration.ZERO);
            holder.awaitLine("LOST " + LOCK, LEASE);
            holder.awaitLine("NOT-HELD " + LOCK, FaultScenario.COMMAND_TIMEOUT);
            ReleaseOutcome outcome = holder.release(LOCK);
            Map<String, String> stored = LockProcess.hash(redis, LockProcess.key(namespace, LOCK));
            FaultScenario.sleep(RUN);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("lock-flushall: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            checkLearnedAtRenewal(
                    softly,
                    logs,
                    holder,
                    before,
                    lostAt,
                    "another owner holds it under fencing token " + after.token());
            softly.assertThat(after.token()).as("token after FLUSHALL").isGreaterThan(before.token());
            softly.assertThat(outcome).as("the old holder's release").isEqualTo(ReleaseOutcome.HELD_BY_OTHER);
            softly.assertThat(stored)
                    .as("the lock in Redis after the old holder's release")
                    .containsEntry("owner", after.owner())
                    .containsEntry("token", Long.toString(after.token()));
            checkTokensAfterLossAreGreater(softly, logs, lostAt);
            softly.assertAll();
        }
    }

    /**
     * The holder was told {@code LOST} once, by a renewal Redis refused ({@code reason}), after the loss and before its
     * lease time could pass; {@code isHeld()} answered true only before that and false at the holder's last check.
     */
    private static void checkLearnedAtRenewal(
            SoftAssertions softly,
            FaultLogs logs,
            LockProcess holder,
            LockProcess.Acquired lease,
            long lostAt,
            String reason) {
        List<FaultLogs.Event> lost = holder.marks(logs, "LOST", LOCK);
        softly.assertThat(lost).as("LOST events of the holder").hasSize(1);
        for (FaultLogs.Event event : lost) {
            softly.assertThat(Long.parseLong(event.field(2))).isEqualTo(lease.token());
            softly.assertThat(event.rest(3)).as("why it was lost").contains(reason);
            softly.assertThat(event.nanos() - lostAt)
                    .as("nanoseconds from the loss to LOST")
                    .isBetween(0L, LEASE.toNanos());
            List<FaultLogs.Event> checks = holder.marks(logs, "CHECK", LOCK);
            softly.assertThat(checks.stream().filter(c -> c.field(3).equals("true")))
                    .as("checks of isHeld() answering true")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(Long.parseLong(c.field(4))).isLessThan(event.nanos()));
            softly.assertThat(checks)
                    .as("checks of isHeld(), the last one")
                    .last()
                    .satisfies(c -> assertThat(c.field(3)).isEqualTo("false"));
        }
    }

    /** Per lock, every token of a hold that began after {@code lostAt} is above every token of one that began before. */
    private static void checkTokensAfterLossAreGreater(SoftAssertions softly, FaultLogs logs, long lostAt) {
        for (String name : CYCLED) {
            List<FaultLogs.Hold> holds = logs.holds(name);
            long maxBefore = maxToken(holds, start -> start - lostAt < 0);
            long minAfter = holds.stream()
                    .filter(h -> h.startNanos() - lostAt > 0)
                    .mapToLong(FaultLogs.Hold::token)
                    .min()
                    .orElse(-1);
            softly.assertThat(maxBefore)
                    .as("a hold of %s before the loss", name)
                    .isPositive();
            softly.assertThat(minAfter)
                    .as("lowest token of %s after the loss", name)
                    .isGreaterThan(maxBefore);
            FaultLogs.Violations tokens = logs.tokenViolations(name);
            softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
        }
        FaultLogs.Violations errors = logs.errorViolations(FaultScenario.lockErrors());
        softly.assertThat(errors.count()).as(errors.toString()).isZero();
    }

    private static long maxToken(List<FaultLogs.Hold> holds, LongPredicate start) {
        return holds.stream()
                .filter(h -> start.test(h.startNanos()))
                .mapToLong(FaultLogs.Hold::token)
                .max()
                .orElse(-1);
    }

    private static List<String> arguments(RedisServerProcess redis, String namespace) {
        return LockProcess.arguments(redis.address(), namespace, LEASE);
    }

    /** A process running critical sections on the cycled locks in two threads until stopped (and taking commands). */
    private static List<String> cyclerArguments(RedisServerProcess redis, String namespace) {
        return LockProcess.arguments(
                redis.address(),
                namespace,
                LEASE,
                "threads",
                2,
                "locks",
                String.join(",", CYCLED),
                "work-max-us",
                2_000,
                "wait-ms",
                5_000);
    }
}
