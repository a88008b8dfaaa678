package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.test.EtcdCluster;
import io.github.idallocator.test.EtcdExtension;
import io.github.idallocator.test.EtcdProcess;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A 3-member etcd cluster whose leader is killed: a claim is renewed through the election and stays exclusive. */
class EtcdClusterTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    @BeforeAll
    static void etcdInstalled() {
        EtcdExtension.assumeEtcdInstalled();
    }

    @Test
    void claimSurvivesTheKillOfTheLeaderAndStaysExclusive() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3);
                Client client = Client.builder().endpoints(cluster.endpoints()).build()) {
            String namespace = "idalloc/cluster/";
            EtcdWorkerIdStore a = new EtcdWorkerIdStore(client, namespace, 0, 0, "a", Duration.ofSeconds(1));
            EtcdWorkerIdStore b = new EtcdWorkerIdStore(client, namespace, 0, 0, "b", Duration.ofSeconds(1));
            WorkerClaim claim = a.claim(0, TTL, "1000");

            EtcdProcess leader = cluster.awaitLeader(Duration.ofSeconds(10));
            leader.kill();

            int renewals = 0;
            int failures = 0;
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() - end < 0) {
                try {
                    claim = a.renew(claim, TTL, "2000");
                    renewals++;
                } catch (IdAllocatorException e) {
                    assertThat(e.isRetryable())
                            .as("only retryable failures during the election: %s", e)
                            .isTrue();
                    failures++;
                }
                assertThat(claim.isHeld())
                        .as("renewed before its deadline through the election")
                        .isTrue();
                Thread.sleep(500);
            }
            EtcdProcess newLeader = cluster.awaitLeader(Duration.ofSeconds(10));

            assertThat(newLeader).isNotSameAs(leader);
            assertThat(renewals).isGreaterThan(5);
            assertThat(b.claimAnother(TTL, "n")).as("still claimed by a").isNull();
            System.out.println("renewals " + renewals + ", retryable failures " + failures + " across the election");

            leader.start(false);
            leader.awaitHealthy();
            assertThat(a.renew(claim, TTL, "3000").fencingToken()).isEqualTo(claim.fencingToken());
            assertThat(a.release(claim, "3000")).isTrue();
            assertThat(b.claim(0, TTL, "n").previousNote()).isEqualTo("3000");
        }
    }
}
