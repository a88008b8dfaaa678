package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A single etcd member paused with {@code SIGSTOP} for twice the lease time under a running generator: the generator
 * refuses ids before another instance can claim its worker id, and once etcd is back it leases a worker id again and
 * issues ids that no other instance issued.
 */
@WithEtcd
class EtcdWorkerIdLeasePauseTest {

    /** 2 s lease renewed every 500 ms; ids stop 300 ms before the local end. */
    private static final WorkerLeaseSettings SETTINGS = new WorkerLeaseSettings(
            Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(2));

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);

    @Test
    void aPausedEtcdStopsTheGeneratorBeforeAnotherInstanceClaimsItsWorkerIdAndItReclaimsAfter(EtcdProcess etcd)
            throws Exception {
        String namespace = "idalloc/lease-pause/";
        ScheduledExecutorService schedulerA = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService schedulerB = Executors.newSingleThreadScheduledExecutor();
        try (Client clientA = Client.builder().endpoints(etcd.endpoint()).build();
                Client clientB = Client.builder().endpoints(etcd.endpoint()).build()) {
            // a leases from worker ids 0..1; b from 0 only, so that b's claim is a claim of a's worker id
            SnowflakeIdGenerator generatorA =
                    SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
            WorkerIdLease leaseA = new WorkerIdLease(
                    new EtcdWorkerIdStore(clientA, namespace, 0, 1, "a", REQUEST_TIMEOUT),
                    generatorA,
                    SETTINGS,
                    System::currentTimeMillis);
            List<WorkerLeaseEvent> eventsA = new CopyOnWriteArrayList<>();
            leaseA.addListener(eventsA::add);
            SnowflakeIdGenerator generatorB =
                    SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
            WorkerIdLease leaseB = new WorkerIdLease(
                    new EtcdWorkerIdStore(clientB, namespace, 0, 0, "b", REQUEST_TIMEOUT),
                    generatorB,
                    SETTINGS,
                    System::currentTimeMillis);

            // worker id 1 held by someone else for a moment, so that a starts on 0, the one b can claim
            EtcdWorkerIdStore blocker = new EtcdWorkerIdStore(clientA, namespace, 1, 1, "x", REQUEST_TIMEOUT);
            WorkerClaim blocked = blocker.claim(1, Duration.ofSeconds(30), "0 x");
            leaseA.start(schedulerA);
            blocker.release(blocked, null);
            long workerA = leaseA.workerId();
            assertThat(workerA).isZero();

            try (IdIssuer issuerA = new IdIssuer(generatorA, "a")) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> issuerA.issued() > 100);
                long lastBeforePause = max(issuerA.ids());

                etcd.pause();
                long pausedAt = System.nanoTime();
                CountDownLatch gate = new CountDownLatch(1);
                try {
                    Awaitility.await()
                            .atMost(SETTINGS.ttl().plusSeconds(5))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> issuerA.firstRefusedNanos() != 0
                                    && eventsA.stream().anyMatch(e -> e.type() == WorkerLeaseEvent.Type.LOST));
                    long refusedAfterPauseMillis =
                            TimeUnit.NANOSECONDS.toMillis(issuerA.firstRefusedNanos() - pausedAt);
                    assertThat(generatorA.isGranted()).isFalse();

                    // hold a's renewals back once etcd is back, so that b's claim of worker id 0 comes first (a would
                    // otherwise race b for it); a's generator is already stopped and stays stopped meanwhile
                    CountDownLatch held = new CountDownLatch(1);
                    schedulerA.execute(() -> {
                        held.countDown();
                        awaitQuietly(gate);
                    });
                    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                    Awaitility.await()
                            .atMost(SETTINGS.ttl().multipliedBy(4))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> System.nanoTime() - pausedAt
                                    > SETTINGS.ttl().multipliedBy(2).toNanos());
                    etcd.resume();

                    AtomicLong claimSentNanos = new AtomicLong();
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(20))
                            .ignoreExceptionsInstanceOf(IdAllocatorException.class)
                            .until(() -> {
                                claimSentNanos.set(System.nanoTime());
                                leaseB.acquire();
                                return true;
                            });
                    long lastIssuedByA = issuerA.lastIssuedNanos(0);
                    System.out.printf(
                            "pause: etcd paused at 0 ms; a's generator refused its first id at %d ms; a's last id "
                                    + "with worker id 0 returned at %d ms; b's successful claim of worker id 0 sent "
                                    + "at %d ms (after SIGCONT at about %d ms)%n",
                            refusedAfterPauseMillis,
                            TimeUnit.NANOSECONDS.toMillis(lastIssuedByA - pausedAt),
                            TimeUnit.NANOSECONDS.toMillis(claimSentNanos.get() - pausedAt),
                            SETTINGS.ttl().multipliedBy(2).toMillis());

                    assertThat(leaseB.workerId()).isZero();
                    assertThat(lastIssuedByA)
                            .as("a's last id with worker id 0 was returned before b sent its claim of it")
                            .isLessThan(claimSentNanos.get());
                    assertThat(leaseB.claim().previousNote()).endsWith(" a");
                } finally {
                    etcd.resume();
                    gate.countDown();
                }

                leaseB.start(schedulerB);
                try (IdIssuer issuerB = new IdIssuer(generatorB, "b")) {
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> leaseA.workerId() == 1 && issuerA.lastIssuedNanos(1) != 0);
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> issuerB.issued() > 100);
                    long issuedByA = issuerA.issued();
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> issuerA.issued() > issuedByA + 100);
                    issuerA.close();
                    issuerB.close();

                    assertThat(issuerA.unexpected()).isNull();
                    assertThat(issuerB.unexpected()).isNull();
                    assertThat(eventsA)
                            .extracting(WorkerLeaseEvent::type)
                            .containsSubsequence(
                                    WorkerLeaseEvent.Type.ACQUIRED,
                                    WorkerLeaseEvent.Type.LOST,
                                    WorkerLeaseEvent.Type.ACQUIRED);
                    Set<Long> afterResume = new HashSet<>(issuerA.ids());
                    afterResume.removeIf(id -> generatorA.decompose(id).workerId() != 1);
                    assertThat(afterResume).isNotEmpty().allSatisfy(id -> assertThat(id)
                            .isGreaterThan(lastBeforePause));
                    assertThat(issuerA.ids()).doesNotContainAnyElementsOf(issuerB.ids());
                    assertThat(issuerB.ids()).allSatisfy(id -> assertThat(
                                    generatorB.decompose(id).workerId())
                            .isZero());
                }
            } finally {
                leaseA.close();
                leaseB.close();
            }
        } finally {
            schedulerA.shutdownNow();
            schedulerB.shutdownNow();
        }
    }

    private static long max(Set<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
