package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.RespErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisClusterProcessesTest {

    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void everyNodeOfThreeReportsClusterStateOk() {
        assertThat(cluster.nodes()).hasSize(3).doesNotHaveDuplicates();
        for (RedisServerProcess node : cluster.servers()) {
            assertThat((String) node.command("CLUSTER", "INFO"))
                    .contains("cluster_state:ok")
                    .contains("cluster_slots_assigned:16384")
                    .contains("cluster_known_nodes:3");
        }
    }

    @Test
    void keyIsWrittenThroughItsOwningNode() {
        RedisServerProcess owner = cluster.serverForKey("cluster:key");

        assertThat(owner.command("SET", "cluster:key", "value")).isEqualTo("OK");
        assertThat(owner.command("GET", "cluster:key")).isEqualTo("value");
    }

    @Test
    void otherNodesRedirectToTheOwningNode() {
        RedisServerProcess owner = cluster.serverForKey("cluster:moved");
        RedisServerProcess other = cluster.servers().stream()
                .filter(node -> node != owner)
                .findFirst()
                .orElseThrow();

        assertThatThrownBy(() -> other.command("SET", "cluster:moved", "value"))
                .isInstanceOf(RespErrorException.class)
                .hasMessageStartingWith("MOVED")
                .hasMessageEndingWith(owner.address());
    }
}
