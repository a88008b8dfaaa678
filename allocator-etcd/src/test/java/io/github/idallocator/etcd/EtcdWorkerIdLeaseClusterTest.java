package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generator whose worker-id lease is renewed every 500 ms from a 3-member etcd cluster whose leader is killed with
 * {@code SIGKILL}: the renewals land through the election, the generator never refuses an id and the worker id stays
 * exclusive.
 */
class EtcdWorkerIdLeaseClusterTest {

    /** 3 s lease renewed every 500 ms; ids stop 300 ms before the local end. */
    private static final WorkerLeaseSettings SETTINGS = new WorkerLeaseSettings(
            Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(2));

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    @BeforeAll
    static void etcdInstalled() {
        EtcdExtension.assumeEtcdInstalled();
    }

    @Test
    void theGeneratorKeepsIssuingIdsWithoutALostEventWhileTheLeaderIsKilled() throws Exception {
        String namespace = "idalloc/lease-cluster/";
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (EtcdCluster cluster = EtcdCluster.start(3);
                Client client = Client.builder().endpoints(cluster.endpoints()).build()) {
            SnowflakeIdGenerator generator =
                    SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();
            WorkerIdLease lease = new WorkerIdLease(
                    new EtcdWorkerIdStore(client, namespace, 0, 0, "a", REQUEST_TIMEOUT),
                    generator,
                    SETTINGS,
                    System::currentTimeMillis);
            List<WorkerLeaseEvent> events = new CopyOnWriteArrayList<>();
            lease.addListener(events::add);
            lease.start(scheduler);
            WorkerClaim before = lease.claim();

            try (IdIssuer issuer = new IdIssuer(generator, "cluster")) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> issuer.issued() > 100);
                EtcdProcess leader = cluster.awaitLeader(Duration.ofSeconds(10));
                issuer.resetCounters();
                long killedAt = System.nanoTime();
                leader.kill();

                EtcdProcess newLeader = cluster.awaitLeader(Duration.ofSeconds(15));
                long electedAt = System.nanoTime();
                // two lease times past the kill, and a renewal confirmed by the new leader
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> System.nanoTime() - killedAt
                                        > SETTINGS.ttl().multipliedBy(2).toNanos()
                                && lease.lastRenewalNanos() - electedAt > 0);
                long issuedAfterKill = issuer.issued();
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> issuer.issued() > issuedAfterKill + 100);
                System.out.printf(
                        "leader %s killed; %s elected after %d ms (as seen by polling); ids refused since the kill: "
                                + "%d; longest gap between two ids: %d ms; events: %s%n",
                        leader.name(),
                        newLeader.name(),
                        TimeUnit.NANOSECONDS.toMillis(electedAt - killedAt),
                        issuer.refused(),
                        TimeUnit.NANOSECONDS.toMillis(issuer.longestGapNanos()),
                        events.stream().map(WorkerLeaseEvent::type).toList());

                assertThat(newLeader).isNotSameAs(leader);
                assertThat(issuer.unexpected()).isNull();
                assertThat(issuer.refused())
                        .as("ids refused through the election")
                        .isZero();
                assertThat(events).extracting(WorkerLeaseEvent::type).containsExactly(WorkerLeaseEvent.Type.ACQUIRED);
                assertThat(generator.isGranted()).isTrue();
                assertThat(lease.claim().fencingToken()).isEqualTo(before.fencingToken());
                assertThat(new EtcdWorkerIdStore(client, namespace, 0, 0, "b", REQUEST_TIMEOUT)
                                .claimAnother(SETTINGS.ttl(), "b"))
                        .as("worker id 0 still claimed by a")
                        .isNull();
            } finally {
                lease.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
