package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClusterProcesses;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The allocator on a Redis Cluster whose masters each have a replica, when the master that owns the allocator's slot
 * is killed: calls fail with retryable exceptions only while the replica takes over, then work again on it, with the
 * leases it had received and fencing tokens that keep increasing.
 */
@ParameterizedClass
@EnumSource(ClusterClient.class)
class RedisClusterFailoverTest {

    @Parameter
    ClusterClient client;

    private RedisClusterProcesses cluster;
    private RedisConnectionFactory factory;

    @BeforeEach
    void startCluster() {
        cluster = RedisClusterProcesses.startWithReplicas(3);
        factory = client.connect(cluster.allNodes());
    }

    @AfterEach
    void stopCluster() throws Exception {
        try {
            ((DisposableBean) factory).destroy();
        } finally {
            cluster.close();
        }
    }

    @Test
    void afterTheMasterOfItsSlotIsKilledTheReplicaServesTheAllocatorWithIncreasingTokens() {
        String name = "failover-" + UUID.randomUUID();
        RedisIdAllocator ids = RedisIdAllocator.createOrAttach(
                factory,
                IdAllocatorConfig.builder(name, 0, 999)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "instance-a");
        Lease before = ids.allocate();
        int shard = cluster.shardForKey("{" + name + "}");
        RedisServerProcess master = cluster.servers().get(shard);
        await().atMost(Duration.ofSeconds(10)).until(master::replicaCaughtUp);

        cluster.killMasterAndAwaitFailover(shard);

        List<IdAllocatorException> failures = new CopyOnWriteArrayList<>();
        Lease after = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            try {
                                return ids.allocate();
                            } catch (IdAllocatorException e) {
                                failures.add(e);
                                return null;
                            }
                        },
                        lease -> lease != null);
        assertThat(failures)
                .as("failures while the replica took over")
                .allSatisfy(e -> assertThat(e.isRetryable()).as(e.toString()).isTrue());
        assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
        assertThat(after.id()).isNotEqualTo(before.id());
        assertThat(ids.leaseOf(before.id()))
                .hasValueSatisfying(l -> assertThat(l.fencingToken()).isEqualTo(before.fencingToken()));
    }
}
