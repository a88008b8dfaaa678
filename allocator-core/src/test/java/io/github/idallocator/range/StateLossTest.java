package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * What the range allocator does after Redis lost its state (simulated by deleting the allocator's keys, which is what a
 * restart without persistence or {@code FLUSHALL} does to it): fencing tokens keep increasing, and with a recovery
 * period new grants wait while holders still alive re-register their leases.
 */
@WithRedisClients
class StateLossTest extends AllocatorSpec {

    private static final Duration RECOVERY = Duration.ofSeconds(2);
    private static final Duration TTL = Duration.ofSeconds(2);

    private RedisIdAllocator protectedAllocator(String instance) {
        return RedisIdAllocator.createOrAttach(
                factory.connectionFactory(),
                IdAllocatorConfig.builder(name, 1, 100)
                        .defaultTtl(TTL)
                        .reuseDelay(Duration.ZERO)
                        .recoveryPeriod(RECOVERY)
                        .build(),
                instance);
    }

    private RedisIdAllocator unprotectedAllocator(String instance) {
        return RedisIdAllocator.createOrAttach(
                factory.connectionFactory(),
                IdAllocatorConfig.builder(name, 1, 100)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                instance);
    }

    /**
     * What a restart without persistence or FLUSHALL does to this allocator. It waits 2 ms first: an instance tells a
     * recreation apart by the state's creation time in milliseconds, so a state lost and recreated within the
     * millisecond it was created in (a test on a fast machine, not a restart) would go unnoticed.
     */
    private void loseState() {
        long until = System.nanoTime() + Duration.ofMillis(2).toNanos();
        while (System.nanoTime() - until < 0) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
        Object keys = server.command("KEYS", "idalloc:{" + name + "}:*");
        for (Object key : (List<?>) keys) {
            server.command("DEL", key.toString());
        }
    }

    /** Moves the allocator's creation time back, as if the recovery period had passed. */
    private void endRecoveryPeriod() {
        server.command("HSET", "idalloc:{" + name + "}:meta", "born", "0");
    }

    @Test
    void fencingTokensKeepIncreasingAfterRedisLostTheState() {
        RedisIdAllocator allocator = unprotectedAllocator("a");
        long before = allocator.allocate().fencingToken();
        loseState();

        long after = allocator.allocate().fencingToken();

        assertThat(after).isGreaterThan(before);
    }

    @Test
    void fencingTokensAreSeededFromRedisServerTime() {
        long serverMillisBefore = RedisInspection.serverTimeMillis(server);

        long token = unprotectedAllocator("a").allocate().fencingToken();

        assertThat(token).isGreaterThanOrEqualTo(serverMillisBefore * 1000);
    }

    @Test
    void consecutiveFencingTokensAreDistinctAndTheLastIsReportedExactly() {
        RedisIdAllocator allocator = unprotectedAllocator("a");
        long first = allocator.allocate().fencingToken();
        long second = allocator.allocate().fencingToken();

        assertThat(second).isGreaterThan(first);
        assertThat(allocator.stats().lastFencingToken()).isEqualTo(second);
    }

    @Test
    void withoutARecoveryPeriodIdsAreHandedOutAtOnceAfterRedisLostTheState() {
        RedisIdAllocator allocator = unprotectedAllocator("a");
        Lease held = allocator.allocate();
        loseState();

        assertThat(allocator.allocate().id()).isEqualTo(held.id());
    }

    @Test
    void aNewAllocatorRefusesNewLeasesDuringItsRecoveryPeriod() {
        RedisIdAllocator allocator = protectedAllocator("a");

        assertThatThrownBy(allocator::allocate)
                .isInstanceOfSatisfying(RecoveringException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(RECOVERY);
                })
                .hasMessageContaining(name)
                .hasMessageContaining("recovery period");
    }

    @Test
    void reserveAndAllocateRangeAreRefusedDuringTheRecoveryPeriodToo() {
        RedisIdAllocator allocator = protectedAllocator("a");

        assertThatThrownBy(() -> allocator.reserve(5)).isInstanceOf(RecoveringException.class);
        assertThatThrownBy(() -> allocator.allocateRange(3)).isInstanceOf(RecoveringException.class);
    }

    @Test
    void newLeasesAreHandedOutOnceTheRecoveryPeriodIsOver() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();

        assertThat(allocator.allocate().id()).isEqualTo(1);
    }

    @Test
    void theFirstStartWaitsAtMostTheRecoveryPeriod() throws InterruptedException {
        RedisIdAllocator allocator = protectedAllocator("a");
        RecoveringException refused = null;
        try {
            allocator.allocate();
        } catch (RecoveringException e) {
            refused = e;
        }
        assertThat(refused).isNotNull();

        Thread.sleep(refused.retryAfter().toMillis() + 50);

        assertThat(allocator.allocate().id()).isEqualTo(1);
    }

    @Test
    void aHolderReRegistersItsLeaseWithItsTokenAfterRedisLostTheState() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease held = allocator.allocate();
        loseState();

        Lease renewed = allocator.extendTtl(held, TTL);

        assertThat(renewed.id()).isEqualTo(held.id());
        assertThat(renewed.fencingToken()).isEqualTo(held.fencingToken());
        assertThat(renewed.isHeld()).isTrue();
        assertThat(allocator.leaseOf(held.id()))
                .hasValueSatisfying(l -> assertThat(l.fencingToken()).isEqualTo(held.fencingToken()));
    }

    @Test
    void aReRegisteredRangeLeaseKeepsItsExtentAndBlocksOthersFromItsIds() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease run = allocator.allocateRange(10);
        loseState();
        allocator.extendTtl(run, TTL);
        endRecoveryPeriod();

        RedisIdAllocator other = protectedAllocator("b");

        assertThat(other.reserve(run.lastId())).isEmpty();
        assertThat(other.allocate().id()).isEqualTo(run.lastId() + 1);
    }

    @Test
    void tokensIssuedAfterAReRegistrationAreAboveTheReRegisteredOne() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease held = allocator.allocate();
        loseState();
        allocator.extendTtl(held, TTL);
        endRecoveryPeriod();

        assertThat(allocator.allocate().fencingToken()).isGreaterThan(held.fencingToken());
    }

    @Test
    void aLeaseIsNotReRegisteredAfterTheRecoveryPeriod() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease held = allocator.allocate();
        loseState();
        protectedAllocator("b");
        endRecoveryPeriod();

        assertThatThrownBy(() -> allocator.extendTtl(held, TTL)).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void aLeaseWhoseFormerExpiryHasPassedIsNotReRegistered() throws InterruptedException {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease held = allocator.allocate(Duration.ofMillis(50));
        Thread.sleep(100);
        loseState();

        assertThatThrownBy(() -> allocator.extendTtl(held, TTL)).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void aLeaseWhoseIdsWereReRegisteredByAnotherHolderIsNotReRegisteredTwice() {
        RedisIdAllocator a = protectedAllocator("a");
        endRecoveryPeriod();
        Lease run = a.allocateRange(5);
        loseState();
        a.extendTtl(run, TTL);
        Lease forged = new Lease(
                run.allocator(),
                run.keyPrefix(),
                run.lastId(),
                run.lastId(),
                "a",
                run.fencingToken() + 1,
                run.expiresAt(),
                run.localDeadlineNanos(),
                null);

        assertThatThrownBy(() -> a.extendTtl(forged, TTL)).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void extendingByIdDoesNotReRegister() {
        RedisIdAllocator allocator = protectedAllocator("a");
        endRecoveryPeriod();
        Lease held = allocator.allocate();
        loseState();
        protectedAllocator("b");

        assertThatThrownBy(() -> allocator.extendTtl(held.id(), TTL)).isInstanceOf(NotOwnerException.class);
        assertThat(allocator.leaseOf(held.id())).isEqualTo(Optional.empty());
    }

    @Test
    void aLeaseLongerThanTheRecoveryPeriodIsRefusedBeforeRedisIsTouched() {
        RedisIdAllocator allocator = protectedAllocator("a");

        assertThatThrownBy(() -> allocator.allocate(RECOVERY.plusMillis(1)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("recoveryPeriod");
        assertThatThrownBy(() -> allocator.allocate(IdAllocator.NO_EXPIRY))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("recoveryPeriod");
    }

    @Test
    void aDefaultTtlLongerThanTheRecoveryPeriodIsRejectedByTheConfiguration() {
        assertThatThrownBy(() -> IdAllocatorConfig.builder("x", 1, 10)
                        .defaultTtl(Duration.ofMinutes(5))
                        .recoveryPeriod(Duration.ofMinutes(1))
                        .build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("PT5M")
                .hasMessageContaining("PT1M");
    }

    @Test
    void statsShowWhatIsLeftOfTheRecoveryPeriodAndTheLeasesReRegistered() {
        RedisIdAllocator allocator = protectedAllocator("a");
        assertThat(allocator.stats().recoveryRemaining()).isPositive().isLessThanOrEqualTo(RECOVERY);
        endRecoveryPeriod();
        Lease held = allocator.allocate();
        assertThat(allocator.stats().recoveryRemaining()).isZero();
        loseState();
        allocator.extendTtl(held, TTL);

        AllocatorStats stats = allocator.stats();

        assertThat(stats.reregisteredLeases()).isEqualTo(1);
        assertThat(stats.recoveryRemaining()).isPositive();
        assertThat(stats.lastFencingToken()).isEqualTo(held.fencingToken());
    }

    @Test
    void aHeartbeatAfterRedisLostTheStateReportsTheAllocatorRecreatedOnce() {
        RedisIdAllocator allocator = protectedAllocator("a");
        List<AllocatorRecreation> recreations = new CopyOnWriteArrayList<>();
        allocator.addRecreationListener(recreations::add);
        loseState();

        allocator.heartbeat();
        allocator.heartbeat();

        assertThat(recreations).singleElement().satisfies(recreation -> {
            assertThat(recreation.allocator()).isEqualTo(name);
            assertThat(recreation.createdAt()).isAfter(recreation.previouslyCreatedAt());
            assertThat(recreation.recoveryPeriod()).isEqualTo(RECOVERY);
        });
    }

    @Test
    void aRecreationByAnotherCallIsReportedAtTheNextHeartbeat() {
        RedisIdAllocator allocator = unprotectedAllocator("a");
        List<AllocatorRecreation> recreations = new CopyOnWriteArrayList<>();
        allocator.addRecreationListener(recreations::add);
        loseState();
        allocator.allocate();

        allocator.heartbeat();

        assertThat(recreations).hasSize(1);
    }

    @Test
    void heartbeatsWithoutALossReportNoRecreation() {
        RedisIdAllocator allocator = protectedAllocator("a");
        List<AllocatorRecreation> recreations = new CopyOnWriteArrayList<>();
        allocator.addRecreationListener(recreations::add);
        RedisIdAllocator other = protectedAllocator("b");

        allocator.heartbeat();
        other.heartbeat();
        allocator.heartbeat();

        assertThat(recreations).isEmpty();
    }
}
