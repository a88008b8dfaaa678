package io.github.idallocator.range;

import static io.github.idallocator.test.RedisInspection.serverTimeMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Lease expiry and the reuse delay are measured by the Redis server's clock ({@code TIME} inside the scripts): a lease
 * lives exactly its TTL from the server time it was granted, and ids that leave a lease (freed or expired) rest for the
 * reuse delay from the server time they left it.
 */
@WithRedisClients
class ExpiryTest extends AllocatorSpec {

    private static final Duration TTL = Duration.ofMillis(200);
    private static final Duration REUSE_DELAY = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(30);

    private RedisIdAllocator allocator(long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        IdAllocatorConfig config = custom.apply(
                        IdAllocatorConfig.builder(name, min, max).reuseDelay(Duration.ZERO))
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, "instance-a");
    }

    @Test
    void aLeaseExpiresItsTtlAfterTheServerTimeItWasGranted() {
        RedisIdAllocator ids = allocator(0, 9, b -> b);

        long before = serverTimeMillis(server);
        Lease lease = ids.allocate(TTL);
        long after = serverTimeMillis(server);

        assertThat(lease.expiresAt().toEpochMilli()).isBetween(before + TTL.toMillis(), after + TTL.toMillis());
    }

    @Test
    void aLeaseIsHeldWhileServerTimeIsBeforeItsDeadlineAndGoneFromItsDeadlineOn() {
        RedisIdAllocator ids = allocator(0, 9, b -> b);
        Lease lease = ids.allocate(TTL);
        long deadline = lease.expiresAt().toEpochMilli();
        boolean[] seen = new boolean[2];

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    long before = serverTimeMillis(server);
                    Optional<Lease> held = ids.leaseOf(lease.id());
                    long after = serverTimeMillis(server);
                    if (after < deadline) {
                        assertThat(held)
                                .as("leaseOf at server time %d, deadline %d", after, deadline)
                                .isPresent();
                        seen[0] = true;
                    }
                    if (before >= deadline) {
                        assertThat(held)
                                .as("leaseOf at server time %d, deadline %d", before, deadline)
                                .isEmpty();
                        seen[1] = true;
                    }
                    return seen[1];
                });

        assertThat(seen[0]).as("the lease was seen held before its deadline").isTrue();
    }

    @Test
    void aLeaseIsStillHeldHalfwayThroughItsTtlAndGoneWellAfterIt() {
        RedisIdAllocator ids = allocator(0, 9, b -> b);
        long start = System.nanoTime();
        Lease lease = ids.allocate(TTL);

        await().pollDelay(TTL.dividedBy(2)).atMost(TTL).until(() -> true);
        boolean heldHalfway = ids.isAllocated(lease.id());
        long halfway = System.nanoTime() - start;
        await().atMost(TTL.multipliedBy(2))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !ids.isAllocated(lease.id()));

        assertThat(heldHalfway)
                .as("held %d ms after allocation", Duration.ofNanos(halfway).toMillis())
                .isEqualTo(halfway < TTL.toNanos());
        assertThat(ids.leaseOf(lease.id())).isEmpty();
    }

    @Test
    void anExpiredLeaseIsCountedAsExpiredButAllocatedUntilSomethingReclaimsIt() {
        RedisIdAllocator ids = allocator(0, 9, b -> b);
        Lease lease = ids.allocate(Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(1)).until(() -> !ids.isAllocated(lease.id()));
        AllocatorStats expired = ids.stats();
        long reclaimed = ids.cleanupExpired();
        AllocatorStats after = ids.stats();

        assertThat(expired.expiredLeases()).isEqualTo(1);
        assertThat(expired.allocated()).isEqualTo(1);
        assertThat(reclaimed).isEqualTo(1);
        assertThat(after.expiredLeases()).isZero();
        assertThat(after.allocated()).isZero();
        assertThat(after.reclaimedLeases()).isEqualTo(1);
    }

    @Test
    void anExpiredIdIsNotHandedOutAgainBeforeTheReuseDelayHasPassedAfterItsDeadline() {
        RedisIdAllocator ids = allocator(0, 0, b -> b.reuseDelay(REUSE_DELAY));
        Lease expiring = ids.allocate(Duration.ofMillis(50));
        long deadline = expiring.expiresAt().toEpochMilli();

        Lease next = await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(IdsExhaustedException.class)
                .until(() -> ids.allocate(LONG), l -> true);

        long grantedAt = next.expiresAt().toEpochMilli() - LONG.toMillis();
        assertThat(next.id()).isEqualTo(expiring.id());
        assertThat(grantedAt).isGreaterThanOrEqualTo(deadline + REUSE_DELAY.toMillis());
    }

    @Test
    void aFreedRangeRestsForTheReuseDelayAsAWholeWhileOtherIdsStayAvailable() {
        RedisIdAllocator ids = allocator(0, 9, b -> b.reuseDelay(REUSE_DELAY));
        Lease run = ids.allocateRange(5, LONG);

        long freedAfter = serverTimeMillis(server);
        assertThat(ids.freeRange(run.firstId(), run.lastId())).isTrue();
        AllocatorStats resting = ids.stats();
        Lease other = ids.allocate(LONG);

        assertThat(resting.resting()).isEqualTo(5);
        assertThat(resting.allocated()).isZero();
        assertThat(resting.available()).isEqualTo(5);
        assertThat(other.id()).isEqualTo(5);
        assertThat(ids.allocateRange(2, LONG).firstId()).isEqualTo(6);
        Lease again = await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ids.reserveRange(0, 4, LONG), Optional::isPresent)
                .orElseThrow();
        long grantedAt = again.expiresAt().toEpochMilli() - LONG.toMillis();
        assertThat(grantedAt).isGreaterThanOrEqualTo(freedAfter + REUSE_DELAY.toMillis());
        assertThat(ids.stats().resting()).isZero();
    }

    @Test
    void aRestingIdCannotBeReservedOrAllocatedBeforeItsRestIsOver() {
        RedisIdAllocator ids = allocator(0, 1, b -> b.reuseDelay(Duration.ofSeconds(10)));
        Lease lease = ids.allocate(LONG);
        ids.free(lease);

        assertThat(ids.reserve(lease.id())).isEmpty();
        assertThat(ids.allocate(LONG).id()).isEqualTo(1);
        assertThatThrownBy(() -> ids.allocate(LONG)).isInstanceOf(IdsExhaustedException.class);
        assertThatThrownBy(() -> ids.allocateRange(1, LONG)).isInstanceOf(IdsExhaustedException.class);
        assertThat(ids.isAllocated(lease.id())).isFalse();
    }

    @Test
    void idsReclaimedByTheCreatorsCleanupRestToo() {
        RedisIdAllocator ids = allocator(0, 2, b -> b.reuseDelay(Duration.ofSeconds(10)));
        ids.allocateRange(3, Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(1)).until(() -> ids.stats().expiredLeases() == 1);
        ids.heartbeat();
        assertThat(ids.cleanupExpired()).isEqualTo(1);

        AllocatorStats stats = ids.stats();
        assertThat(stats.allocated()).isZero();
        assertThat(stats.resting()).isEqualTo(3);
        assertThat(stats.available()).isZero();
        assertThatThrownBy(() -> ids.allocate(LONG)).isInstanceOf(IdsExhaustedException.class);
    }
}
