package io.github.idallocator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The holder of a pool's only resource, under a 1 s lease, checks {@code isHeld()} every 5 ms before each "use" and is
 * stopped with SIGSTOP for longer than its lease; another process waiting for a resource gets it once the lease expired
 * in Redis, and uses it. When the holder is continued, its first check already answers false (self-fencing by its local
 * deadline: it never uses the resource again), its lease is reported {@code LOST}, renewing it answers false and
 * releasing it answers {@code ALREADY_EXPIRED}, leaving the new holder's lease in Redis untouched. No two "uses" overlap.
 */
class PoolPausedHolderFaultTest {

    private static final String POOL = "paused";
    private static final String RESOURCE = PoolProcess.resource(0);
    private static final Duration HOLDER_LEASE = Duration.ofSeconds(1);
    private static final Duration TAKER_LEASE = Duration.ofSeconds(30);
    private static final Duration TAKER_WAIT = Duration.ofSeconds(20);

    @Test
    void aHolderPausedPastItsLeaseFindsItNotHeldOnResumeAndItsRenewalAndReleaseAreRefused() {
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("pool-paused-holder")) {
            PoolProcess holder = PoolProcess.start(
                    scenario, "holder", PoolProcess.arguments(redis.address(), POOL, 1, HOLDER_LEASE));
            PoolProcess taker =
                    PoolProcess.start(scenario, "taker", PoolProcess.arguments(redis.address(), POOL, 1, TAKER_LEASE));
            holder.awaitReady();
            taker.awaitReady();
            PoolProcess.Acquired first = holder.acquire(Duration.ZERO);
            holder.use(RESOURCE);
            holder.awaitLine("RENEWED " + RESOURCE, FaultScenario.COMMAND_TIMEOUT);

            holder.process().pause();
            long pausedAt = System.nanoTime();
            PoolProcess.Acquired second = taker.acquire(TAKER_WAIT);
            taker.use(RESOURCE);
            FaultScenario.sleep(Duration.ofMillis(300)); // the new holder uses the resource
            long resumedAt = System.nanoTime();
            holder.process().resume();
            holder.awaitLine("NOT-HELD " + RESOURCE, FaultScenario.COMMAND_TIMEOUT);
            holder.awaitLine("LOST " + RESOURCE, FaultScenario.COMMAND_TIMEOUT);
            boolean renewed = holder.renew(RESOURCE);
            ReleaseOutcome outcome = holder.release(RESOURCE);
            Map<String, String> stored = leases(redis);
            assertThat(taker.release(RESOURCE)).isEqualTo(ReleaseOutcome.RELEASED);
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("pool-paused-holder: " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            List<FaultLogs.Event> checks = holder.marks(logs, "CHECK", RESOURCE);
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
            long lastUse = checks.stream()
                    .filter(c -> c.field(3).equals("true"))
                    .mapToLong(FaultLogs.Event::nanos)
                    .max()
                    .orElse(Long.MAX_VALUE);
            long takerFirstUse = taker.marks(logs, "CHECK", RESOURCE).stream()
                    .filter(c -> c.field(3).equals("true"))
                    .mapToLong(c -> Long.parseLong(c.field(4)))
                    .min()
                    .orElse(Long.MIN_VALUE);
            softly.assertThat(lastUse)
                    .as("the paused holder's last use (a check answering true), before the new holder's first")
                    .isLessThan(takerFirstUse);
            List<FaultLogs.Event> lost = holder.marks(logs, "LOST", RESOURCE);
            softly.assertThat(lost).as("LOST events of the paused holder").hasSize(1);
            softly.assertThat(lost)
                    .allSatisfy(e -> assertThat(Long.parseLong(e.field(2))).isEqualTo(first.token()))
                    .allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(resumedAt));
            softly.assertThat(second.resource())
                    .as("the resource the taker got")
                    .isEqualTo(RESOURCE);
            softly.assertThat(second.token()).as("the new holder's token").isGreaterThan(first.token());
            softly.assertThat(renewed).as("the paused holder's renewal").isFalse();
            softly.assertThat(outcome).as("the paused holder's release").isEqualTo(ReleaseOutcome.ALREADY_EXPIRED);
            softly.assertThat(stored)
                    .as("the leases in Redis after the paused holder's release")
                    .containsOnlyKeys(second.owner())
                    .hasEntrySatisfying(
                            second.owner(),
                            v -> assertThat(v).startsWith(second.token() + "|").endsWith("|" + RESOURCE));
            FaultLogs.Violations overlaps = logs.overlappingHolds(POOL);
            softly.assertThat(overlaps.count()).as(overlaps.toString()).isZero();
            FaultLogs.Violations tokens = logs.tokenViolations(POOL);
            softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
            scenario.checkErrors(softly, logs, FaultScenario.poolErrors());
            softly.assertAll();
        }
    }

    /** The pool's lease table in Redis: owner -> {@code token|expiresMs|resource} (see lib_pool.lua). */
    private static Map<String, String> leases(RedisServerProcess redis) {
        List<?> flat = (List<?>) redis.command("HGETALL", PoolProcess.leasesKey(POOL));
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }
}
