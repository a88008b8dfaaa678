package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisClusterReplicasTest {

    private RedisClusterProcesses cluster;

    @BeforeEach
    void startCluster() {
        cluster = RedisClusterProcesses.startWithReplicas(3);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void everyMasterHasOneReplicaInSync() {
        assertThat(cluster.replicas()).hasSize(3);
        assertThat(cluster.allNodes()).hasSize(6).doesNotHaveDuplicates();
        for (RedisServerProcess replica : cluster.replicas()) {
            assertThat((String) replica.command("INFO", "replication"))
                    .contains("role:slave")
                    .contains("master_link_status:up");
        }
        assertThat((String) cluster.servers().get(0).command("CLUSTER", "INFO"))
                .contains("cluster_state:ok")
                .contains("cluster_known_nodes:6");
    }

    @Test
    void aReplicaTakesOverTheSlotsOfAKilledMasterWithTheWritesItHad() {
        String key = "replicated:{shard}";
        int shard = cluster.shardForKey(key);
        RedisServerProcess master = cluster.servers().get(shard);
        master.command("SET", key, "kept");
        master.command("WAIT", "1", "5000");

        RedisServerProcess promoted = cluster.killMasterAndAwaitFailover(shard);

        assertThat(master.isRunning()).isFalse();
        assertThat(cluster.servers().get(shard)).isSameAs(promoted);
        assertThat(cluster.serverForKey(key)).isSameAs(promoted);
        assertThat(promoted.command("GET", key)).isEqualTo("kept");
        assertThat((String) promoted.command("CLUSTER", "INFO")).contains("cluster_state:ok");
    }
}
