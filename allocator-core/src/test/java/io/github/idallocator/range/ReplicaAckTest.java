package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.RedisReplicatedProcesses;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replica acknowledgement ({@code replicaAcks}): a grant reaches the caller only once replicas confirmed it with
 * {@code WAIT}; too few confirmations in time throw {@link ReplicaAckException} and the grant is released. Each test
 * uses an allocator of its own on one primary with one replica; a paused replica ({@code kill -STOP}) confirms
 * nothing until the test resumes it.
 */
@WithRedisClients
class ReplicaAckTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(500);

    /** A refused grant ends after the ack timeout plus one release round trip; the margin is for a busy machine. */
    private static final Duration FAILS_WITHIN = ACK_TIMEOUT.plusMillis(1500);

    private final RedisClient client;

    ReplicaAckTest(RedisClient client) {
        this.client = client;
    }

    private static RedisReplicatedProcesses servers;
    private static RedisServerProcess primary;
    private static RedisServerProcess replica;
    private RedisClient.Factory factory;
    private final String name = "acks-" + UUID.randomUUID();

    /** One primary and replica for every test: each test uses an allocator name of its own. */
    @BeforeAll
    static void startPrimaryAndReplica() {
        servers = RedisReplicatedProcesses.start();
        primary = servers.primary();
        replica = servers.replica();
    }

    @AfterAll
    static void stopPrimaryAndReplica() {
        servers.close();
    }

    @BeforeEach
    void connect() {
        primary.command("CONFIG", "RESETSTAT");
        factory = client.connect(primary);
    }

    @AfterEach
    void resumeReplicaAndDisconnect() {
        try (RedisClient.Factory f = factory) {
            servers.resumeReplica();
        }
    }

    private RedisIdAllocator allocator(int replicaAcks) {
        return allocator(replicaAcks, ACK_TIMEOUT);
    }

    private RedisIdAllocator allocator(int replicaAcks, Duration ackTimeout) {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, 0, 99)
                .reuseDelay(Duration.ZERO)
                .replicaAcks(replicaAcks)
                .replicaAckTimeout(ackTimeout)
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, "instance-a");
    }

    private void assertReplicaHoldsWhatThePrimaryHolds() {
        assertThat(RedisInspection.snapshot(replica, name))
                .as("the allocator's keys on the replica right after the call returned")
                .isNotEmpty()
                .isEqualTo(RedisInspection.snapshot(primary, name));
    }

    private static ReplicaAckException unacknowledged(Runnable call) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(call::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).isInstanceOf(ReplicaAckException.class);
        ReplicaAckException e = (ReplicaAckException) thrown;
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.required()).isEqualTo(1);
        assertThat(e.acknowledged()).isZero();
        assertThat(e.reply()).isNotEmpty();
        assertThat(took).isGreaterThanOrEqualTo(ACK_TIMEOUT).isLessThan(FAILS_WITHIN);
        return e;
    }

    private long commandCalls(String command) {
        String stats = String.valueOf(primary.command("INFO", "commandstats"));
        int at = stats.indexOf("cmdstat_" + command + ":calls=");
        if (at < 0) {
            return 0;
        }
        String rest = stats.substring(at + ("cmdstat_" + command + ":calls=").length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
    }

    @Test
    void anAllocationIsOnTheReplicaWhenItReturns() {
        RedisIdAllocator ids = allocator(1);

        List<Lease> leases = ids.allocate(3);

        assertThat(leases).extracting(Lease::id).containsExactly(0L, 1L, 2L);
        assertReplicaHoldsWhatThePrimaryHolds();
        assertThat(commandCalls("wait")).isEqualTo(1);
    }

    @Test
    void aRangeAllocationIsOnTheReplicaWhenItReturns() {
        RedisIdAllocator ids = allocator(1);

        Lease range = ids.allocateRange(5);

        assertThat(range.lastId() - range.firstId()).isEqualTo(4);
        assertReplicaHoldsWhatThePrimaryHolds();
    }

    @Test
    void aReservationIsOnTheReplicaWhenItReturns() {
        RedisIdAllocator ids = allocator(1);

        assertThat(ids.reserve(42)).isPresent();

        assertReplicaHoldsWhatThePrimaryHolds();
    }

    @Test
    void anExtensionIsOnTheReplicaWhenItReturns() {
        RedisIdAllocator ids = allocator(1);
        Lease lease = ids.allocate(Duration.ofSeconds(10));

        Lease extended = ids.extendTtl(lease, Duration.ofMinutes(10));

        assertThat(extended.expiresAt()).isAfter(lease.expiresAt());
        assertReplicaHoldsWhatThePrimaryHolds();
    }

    @Test
    void anAllocationThatNoReplicaConfirmsFailsAfterTheAckTimeoutAndItsIdIsFreeAgain() throws Exception {
        RedisIdAllocator ids = allocator(1);
        servers.pauseReplica();

        ReplicaAckException e = unacknowledged(ids::allocate);

        long id = Long.parseLong(e.reply().get(3).toString());
        assertThat(ids.isAllocated(id))
                .as("id %d after the unconfirmed grant", id)
                .isFalse();
        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void aRangeThatNoReplicaConfirmsIsFreeAgain() throws Exception {
        RedisIdAllocator ids = allocator(1);
        servers.pauseReplica();

        unacknowledged(() -> ids.allocateRange(4));

        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void aReservationThatNoReplicaConfirmsIsFreeAgain() throws Exception {
        RedisIdAllocator ids = allocator(1);
        servers.pauseReplica();

        unacknowledged(() -> ids.reserve(7));

        assertThat(ids.isAllocated(7)).isFalse();
    }

    @Test
    void anExtensionThatNoReplicaConfirmsFailsAndTheLeaseIsLeftToExpire() throws Exception {
        RedisIdAllocator ids = allocator(1);
        Lease lease = ids.allocate(Duration.ofSeconds(30));
        servers.pauseReplica();

        unacknowledged(() -> ids.extendTtl(lease, Duration.ofMinutes(10)));

        assertThat(ids.leaseOf(lease.id()))
                .as("the lease is not freed: its holder may still use it until its old deadline")
                .hasValueSatisfying(held -> assertThat(held.fencingToken()).isEqualTo(lease.fencingToken()));
    }

    @Test
    void aWaitingGrantDoesNotStallOtherCallsOnTheSameConnectionFactory() throws Exception {
        Duration ackTimeout = Duration.ofSeconds(2);
        RedisIdAllocator ids = allocator(1, ackTimeout);
        Lease held = ids.allocate();
        servers.pauseReplica();

        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> catchThrowable(ids::allocate));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> String.valueOf(primary.command("INFO", "clients")).contains("blocked_clients:1"));
        long start = System.nanoTime();
        boolean stillHeld = ids.isAllocated(held.id());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(stillHeld).isTrue();
        assertThat(took)
                .as("a read while another call blocks in WAIT (ack timeout %s)", ackTimeout)
                .isLessThan(ackTimeout.dividedBy(2));
        assertThat(waiting.get()).isInstanceOf(ReplicaAckException.class);
    }

    @Test
    void withoutReplicaAcksNoWaitIsSent() {
        RedisIdAllocator ids = allocator(0);

        Lease lease = ids.allocate();
        ids.allocateRange(3);
        ids.reserve(50);
        ids.extendTtl(lease, Duration.ofMinutes(1));

        assertThat(String.valueOf(primary.command("INFO", "commandstats")))
                .contains("cmdstat_evalsha")
                .doesNotContain("cmdstat_wait");
    }
}
