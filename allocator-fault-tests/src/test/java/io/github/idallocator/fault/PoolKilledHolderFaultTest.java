package io.github.idallocator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.FaultLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A process holding resources of a pool under a 1.5 s lease, renewed in the background, is killed with {@code kill -9}
 * (SIGKILL) once they were renewed: nothing releases its leases. Its resources go to another process only once their
 * leases expired in Redis, which is after the holder's last local deadline (its last confirmed renewal's send time plus
 * the lease time, the end of its hold in the merged log), and no later than the lease time after the kill plus a margin
 * for the waiter's poll (1 s): a waiting acquisition collects the expired leases itself. When nobody waits, the pool's
 * maintenance collects them within the lease time plus one maintenance interval and the margin, also when the killed
 * process was the one running maintenance (the pool's creator): another instance takes that role over.
 */
class PoolKilledHolderFaultTest {

    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration MAINTENANCE = Duration.ofMillis(300);
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final Duration TAKER_WAIT = Duration.ofSeconds(20);
    private static final Duration COLLECTION_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aKilledHoldersResourcesGoToAWaiterAfterTheirLeasesExpiredInRedisAndWithinTheLeaseTime() {
        String pool = "killed";
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("pool-killed-holder")) {
            PoolProcess victim = PoolProcess.start(scenario, "victim", arguments(redis, pool));
            PoolProcess taker = PoolProcess.start(scenario, "taker", arguments(redis, pool));
            victim.awaitReady();
            taker.awaitReady();
            List<PoolProcess.Acquired> held = List.of(victim.acquire(Duration.ZERO), victim.acquire(Duration.ZERO));
            awaitRenewalOfEach(victim, held);
            int first = taker.startAcquire(TAKER_WAIT);
            int second = taker.startAcquire(TAKER_WAIT);
            FaultScenario.sleep(Duration.ofMillis(200)); // both acquisitions wait
            long grantedBeforeKill = taker.lines("ACQUIRED ");

            long killedAt = System.nanoTime();
            victim.process().kill9();
            List<PoolProcess.Acquired> taken = List.of(
                    taker.awaitAcquired(first, TAKER_WAIT.plus(FaultScenario.COMMAND_TIMEOUT)),
                    taker.awaitAcquired(second, TAKER_WAIT.plus(FaultScenario.COMMAND_TIMEOUT)));
            long expired = taker.holdersAndExpired(PoolProcess.resource(0))[1];
            taken.forEach(a -> taker.release(a.resource()));
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("pool-killed-holder: kill -> grants "
                    + logs.holds(pool).stream()
                            .filter(h -> h.process().equals("taker"))
                            .map(h -> (h.startNanos() - killedAt) / 1_000_000 + " ms")
                            .toList()
                    + "; " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(grantedBeforeKill)
                    .as("acquisitions granted before the kill")
                    .isZero();
            softly.assertThat(taken)
                    .extracting(PoolProcess.Acquired::resource)
                    .as("resources the waiter got")
                    .containsExactlyInAnyOrderElementsOf(
                            held.stream().map(PoolProcess.Acquired::resource).toList());
            softly.assertThat(expired).as("expired leases the pool collected").isEqualTo(2);
            for (PoolProcess.Acquired lease : held) {
                checkTakenOver(softly, logs, pool, lease, "taker")
                        .ifPresent(next -> softly.assertThat(Duration.ofNanos(next.startNanos() - killedAt))
                                .as("from the kill to the next hold of %s", lease.resource())
                                .isLessThanOrEqualTo(LEASE.plus(MARGIN)));
            }
            checkHoldsAndErrors(softly, scenario, logs, pool);
            softly.assertAll();
        }
    }

    @Test
    void whenNobodyWaitsMaintenanceCollectsAKilledCreatorsLeaseWithinTheLeaseTimeAndOneInterval() {
        String pool = "killed-creator";
        try (RedisServerProcess redis = RedisServerProcess.start();
                FaultScenario scenario = new FaultScenario("pool-killed-creator")) {
            PoolProcess victim = PoolProcess.start(scenario, "victim", arguments(redis, pool));
            victim.awaitReady();
            FaultScenario.await(
                    "the victim to become the pool's creator", FaultScenario.COMMAND_TIMEOUT, victim::isCreator);
            PoolProcess watcher = PoolProcess.start(scenario, "watcher", arguments(redis, pool));
            watcher.awaitReady();
            FaultScenario.sleep(MAINTENANCE.multipliedBy(2)); // the watcher's maintenance found the role taken
            boolean watcherWasCreator = watcher.isCreator();
            PoolProcess.Acquired held = victim.acquire(Duration.ZERO);
            awaitRenewalOfEach(victim, List.of(held));

            long killedAt = System.nanoTime();
            victim.process().kill9();
            List<long[]> polls = new ArrayList<>(); // {nanos when the reply came, expired leases collected}
            FaultScenario.await("maintenance to collect " + held.resource(), LEASE.plus(COLLECTION_TIMEOUT), () -> {
                long expired = watcher.holdersAndExpired(held.resource())[1];
                polls.add(new long[] {System.nanoTime(), expired});
                return expired > 0;
            });
            long collectedAt = polls.get(polls.size() - 1)[0];
            long[] afterCollection = watcher.holdersAndExpired(held.resource());
            boolean watcherBecameCreator = watcher.isCreator();
            PoolProcess.Acquired first = watcher.acquire(Duration.ZERO);
            PoolProcess.Acquired second = watcher.acquire(Duration.ZERO);
            watcher.release(first.resource());
            watcher.release(second.resource());
            scenario.stopAll();

            FaultLogs logs = scenario.logs();
            System.out.println("pool-killed-creator: kill -> seen collected " + (collectedAt - killedAt) / 1_000_000
                    + " ms; " + logs.summary());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(watcherWasCreator)
                    .as("the watcher was creator before the kill")
                    .isFalse();
            softly.assertThat(watcherBecameCreator)
                    .as("the watcher took the creator role over")
                    .isTrue();
            softly.assertThat(afterCollection)
                    .as("holders of %s and expired leases the pool collected", held.resource())
                    .containsExactly(0, 1);
            FaultLogs.Hold victimHold = lastHoldOf(logs, pool, "victim", held);
            softly.assertThat(polls.stream().filter(p -> p[0] - victimHold.endNanos() < 0))
                    .as("polls answered before the victim's last local deadline: nothing collected yet")
                    .allSatisfy(p -> assertThat(p[1]).isZero());
            softly.assertThat(Duration.ofNanos(collectedAt - killedAt))
                    .as("from the kill to the lease's collection")
                    .isLessThanOrEqualTo(LEASE.plus(MAINTENANCE).plus(MARGIN));
            softly.assertThat(List.of(first.resource(), second.resource()))
                    .as("the watcher gets both resources")
                    .containsExactlyInAnyOrder(PoolProcess.resource(0), PoolProcess.resource(1));
            checkTakenOver(softly, logs, pool, held, "watcher");
            checkHoldsAndErrors(softly, scenario, logs, pool);
            softly.assertAll();
        }
    }

    /**
     * The killed holder's lease had been renewed, and the next hold of its resource is {@code taker}'s, under a greater
     * token, begun after the killed holder's last local deadline (its last confirmed renewal's send time plus the lease
     * time: Redis's expiry comes later). Returns that next hold, if there was one.
     */
    private static Optional<FaultLogs.Hold> checkTakenOver(
            SoftAssertions softly, FaultLogs logs, String pool, PoolProcess.Acquired lease, String taker) {
        FaultLogs.Hold killed = lastHoldOf(logs, pool, "victim", lease);
        softly.assertThat(logs.events("RENEW"))
                .as("renewals of the killed holder's lease of %s", lease.resource())
                .anySatisfy(e -> assertThat(e.process() + " " + e.field(2)).isEqualTo("victim " + lease.token()));
        softly.assertThat(killed.endReason()).as("how the killed hold ended").isEqualTo("deadline");
        List<FaultLogs.Hold> later = logs.holds(pool).stream()
                .filter(h -> h.id() == PoolWorker.id(lease.resource()) && h.startNanos() > killed.startNanos())
                .toList();
        softly.assertThat(later)
                .as("holds of %s after the killed one", lease.resource())
                .isNotEmpty();
        if (later.isEmpty()) {
            return Optional.empty();
        }
        FaultLogs.Hold next = later.get(0);
        softly.assertThat(next.process())
                .as("who held %s next", lease.resource())
                .isEqualTo(taker);
        softly.assertThat(next.token())
                .as("the next token of %s", lease.resource())
                .isGreaterThan(lease.token());
        softly.assertThat(next.startNanos() - killed.endNanos())
                .as("nanoseconds from the killed holder's last local deadline to the next hold of %s", lease.resource())
                .isPositive();
        return Optional.of(next);
    }

    private static FaultLogs.Hold lastHoldOf(FaultLogs logs, String pool, String process, PoolProcess.Acquired lease) {
        return logs.holds(pool).stream()
                .filter(h -> h.process().equals(process) && h.token() == lease.token())
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("No hold of " + process + " under " + lease));
    }

    private static void checkHoldsAndErrors(
            SoftAssertions softly, FaultScenario scenario, FaultLogs logs, String pool) {
        FaultLogs.Violations overlaps = logs.overlappingHolds(pool);
        softly.assertThat(overlaps.count()).as(overlaps.toString()).isZero();
        FaultLogs.Violations tokens = logs.tokenViolations(pool);
        softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
        scenario.checkErrors(softly, logs, FaultScenario.poolErrors());
    }

    /** Waits until the holder printed a renewal of each lease (the kill then lands on a renewed lease). */
    private static void awaitRenewalOfEach(PoolProcess holder, List<PoolProcess.Acquired> leases) {
        for (PoolProcess.Acquired lease : leases) {
            holder.awaitLine("RENEWED " + lease.resource() + " " + lease.token(), FaultScenario.COMMAND_TIMEOUT);
        }
    }

    private static List<String> arguments(RedisServerProcess redis, String pool) {
        return PoolProcess.arguments(
                redis.address(), pool, 2, LEASE, "maintenance-ms", MAINTENANCE.toMillis(), "poll-ms", 250);
    }
}
