package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link EtcdWorkerIdStore} does beyond the worker-id store contract ({@link EtcdWorkerIdStoreContractTest}), on a
 * real single-member etcd: keys, revisions, TTL rounding, deadlines and errors.
 */
@WithEtcd
class EtcdWorkerIdStoreTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration SHORT_TTL = Duration.ofSeconds(1);

    private static Client client;
    private String namespace;

    @BeforeAll
    static void connect(EtcdProcess etcd) {
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "idalloc/" + UUID.randomUUID() + "/";
    }

    private EtcdWorkerIdStore store(String instance, long min, long max) {
        return new EtcdWorkerIdStore(client, namespace, min, max, instance);
    }

    @Test
    void preferredIdOutsideTheRangeIsRejectedNamingIt() {
        assertThatThrownBy(() -> store("a", 0, 7).claim(8, TTL, "n"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("8")
                .hasMessageContaining("0..7");
    }

    @Test
    void firstClaimOfAnIdHasNoPreviousNote() {
        assertThat(store("a", 0, 0).claim(-1, TTL, "n").previousNote()).isNull();
    }

    @Test
    void noteOutlivesAnExpiredClaim() {
        EtcdWorkerIdStore a = store("a", 0, 0);
        WorkerClaim claim = a.claim(-1, SHORT_TTL, "1000");
        a.renew(claim, SHORT_TTL, "2000");

        WorkerClaim next = awaitClaim(store("b", 0, 0));

        assertThat(next.previousNote()).isEqualTo("2000");
    }

    @Test
    void renewalOfAClaimDeletedFromEtcdIsRefusedAndLeavesTheNote() throws Exception {
        EtcdWorkerIdStore a = store("a", 0, 0);
        WorkerClaim claim = a.claim(-1, TTL, "1000");
        client.getKVClient().delete(bytes(namespace + "workers/0")).get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> a.renew(claim, TTL, "2000")).isInstanceOf(NotOwnerException.class);
        assertThat(store("b", 0, 0).claim(-1, TTL, "n").previousNote()).isEqualTo("1000");
    }

    @Test
    void renewalKeepsTheClaimPastItsTtl() throws Exception {
        EtcdWorkerIdStore a = store("a", 0, 0);
        WorkerClaim claim = a.claim(-1, Duration.ofSeconds(2), "n");
        for (int i = 0; i < 6; i++) {
            Thread.sleep(500);
            claim = a.renew(claim, Duration.ofSeconds(2), "n");
        }

        assertThat(store("b", 0, 0).claimAnother(TTL, "n")).isNull();
        assertThat(claim.isHeld()).isTrue();
    }

    @Test
    void localDeadlineIsMeasuredFromBeforeTheRequestPlusTheGrantedTtl() {
        EtcdWorkerIdStore a = store("a", 0, 0);
        long ttl = Duration.ofSeconds(7).toNanos();
        long before = System.nanoTime();
        WorkerClaim claim = a.claim(-1, Duration.ofSeconds(7), "n");
        long after = System.nanoTime();
        // sent between before and after, so the deadline lies between before + TTL and after + TTL
        assertThat(claim.localDeadlineNanos() - (before + ttl)).isNotNegative();
        assertThat(claim.localDeadlineNanos() - (after + ttl)).isNotPositive();

        long beforeRenew = System.nanoTime();
        WorkerClaim renewed = a.renew(claim, Duration.ofSeconds(7), "n");
        long afterRenew = System.nanoTime();

        assertThat(renewed.localDeadlineNanos() - (beforeRenew + ttl)).isNotNegative();
        assertThat(renewed.localDeadlineNanos() - (afterRenew + ttl)).isNotPositive();
    }

    @Test
    void ttlIsRoundedUpToWholeSeconds() {
        WorkerClaim claim = store("a", 0, 0).claim(-1, Duration.ofMillis(2100), "n");

        assertThat(claim.localDeadlineNanos() - System.nanoTime())
                .isGreaterThan(Duration.ofMillis(2100).toNanos());
    }

    @Test
    void aTtlBelowOneSecondIsGrantedOneSecond() {
        WorkerClaim claim = store("a", 0, 0).claim(-1, Duration.ofMillis(100), "n");

        assertThat(claim.localDeadlineNanos() - System.nanoTime())
                .isGreaterThan(Duration.ofMillis(500).toNanos());
    }

    @Test
    void fencingTokenIsTheClaimKeysCreateRevision() throws Exception {
        WorkerClaim claim = store("a", 0, 0).claim(-1, TTL, "n");

        long createRevision = client.getKVClient()
                .get(bytes(namespace + "workers/0"))
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .get(0)
                .getCreateRevision();
        assertThat(claim.fencingToken()).isEqualTo(createRevision);
    }

    @Test
    void releaseOfAHeldClaimReturnsTrueAndFreesTheId() {
        EtcdWorkerIdStore a = store("a", 0, 0);
        WorkerClaim claim = a.claim(-1, TTL, "n");

        assertThat(a.release(claim, "n")).isTrue();
        assertThat(store("b", 0, 0).claimAnother(TTL, "n")).isNotNull();
    }

    @Test
    void renewAfterReleaseIsRefused() {
        EtcdWorkerIdStore a = store("a", 0, 0);
        WorkerClaim claim = a.claim(-1, TTL, "n");
        a.release(claim, "n");

        assertThatThrownBy(() -> a.renew(claim, TTL, "n")).isInstanceOf(NotOwnerException.class);
    }

    @Test
    void claimWritesTheOwnerOnALeasedKeyAndTheNoteOnAKeyWithoutLease() throws Exception {
        store("a", 0, 0).claim(-1, TTL, "1234");
        var noteKv = client.getKVClient()
                .get(bytes(namespace + "notes/0"))
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .get(0);
        assertThat(noteKv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("1234");
        assertThat(noteKv.getLease()).isZero();
        var claimKv = client.getKVClient()
                .get(bytes(namespace + "workers/0"))
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .get(0);
        assertThat(claimKv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(claimKv.getLease()).isNotZero();
    }

    @Test
    void invalidConstructionIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> new EtcdWorkerIdStore(client, namespace, 5, 4, "a"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("maxId 4");
        assertThatThrownBy(() -> new EtcdWorkerIdStore(client, "", 0, 4, "a"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> new EtcdWorkerIdStore(client, namespace, 0, 4, "a", Duration.ZERO))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("PT0S");
    }

    @Test
    void recoveryPeriodIsZero() {
        assertThat(store("a", 0, 0).recoveryPeriod()).isZero();
    }

    @Test
    void unreachableEtcdFailsWithinTheTimeoutAsRetryable() {
        try (Client nowhere = Client.builder()
                .endpoints("http://127.0.0.1:" + EtcdProcess.freePort())
                .build()) {
            EtcdWorkerIdStore store = new EtcdWorkerIdStore(nowhere, namespace, 0, 0, "a", Duration.ofMillis(1500));
            long start = System.nanoTime();

            assertThatThrownBy(() -> store.claim(-1, TTL, "n"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .satisfies(e -> assertThat(((EtcdUnavailableException) e).isRetryable())
                            .isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void refusalThatRetryingDoesNotFixIsNotRetryable(EtcdProcess etcd) {
        // credentials for an etcd without authentication: etcd refuses to authenticate (FAILED_PRECONDITION)
        try (Client withCredentials = Client.builder()
                .endpoints(etcd.endpoint())
                .user(bytes("someone"))
                .password(bytes("secret"))
                .build()) {
            EtcdWorkerIdStore store = new EtcdWorkerIdStore(withCredentials, namespace, 0, 0, "a");

            assertThatThrownBy(() -> store.claim(-1, TTL, "n"))
                    .isInstanceOfSatisfying(EtcdRefusedException.class, e -> {
                        assertThat(e.isRetryable()).isFalse();
                        assertThat(e.errorCode()).isNotBlank();
                    })
                    .hasMessageContaining(namespace);
        }
    }

    private WorkerClaim awaitClaim(EtcdWorkerIdStore store) {
        List<WorkerClaim> result = new ArrayList<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    WorkerClaim claim = store.claimAnother(TTL, "n");
                    if (claim != null) {
                        result.add(claim);
                    }
                    return claim != null;
                });
        return result.get(0);
    }

    private void awaitClaimKeyGone(long id) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.getKVClient()
                        .get(bytes(namespace + "workers/" + id))
                        .get(5, TimeUnit.SECONDS)
                        .getKvs()
                        .isEmpty());
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
