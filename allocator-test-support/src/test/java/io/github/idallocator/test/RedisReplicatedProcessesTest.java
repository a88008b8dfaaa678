package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.Waiting;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisReplicatedProcessesTest {

    private static RedisReplicatedProcesses servers;

    @BeforeAll
    static void start() {
        servers = RedisReplicatedProcesses.start();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void theReplicaHasAcknowledgedEverythingWhenStartReturns() {
        assertThat(servers.replicaCaughtUp()).isTrue();
        assertThat(String.valueOf(servers.replica().command("INFO", "replication")))
                .contains("role:slave")
                .contains("master_link_status:up");
    }

    @Test
    void aPausedReplicaAcknowledgesNothingUntilItIsResumed() {
        servers.pauseReplica();
        try {
            servers.primary().command("SET", "while-paused", "1");
            Waiting.sleep(Duration.ofMillis(1500));

            assertThat(servers.replicaCaughtUp()).isFalse();
        } finally {
            servers.resumeReplica();
        }

        assertThat(Waiting.until(Duration.ofSeconds(10), servers::replicaCaughtUp))
                .isTrue();
        assertThat(servers.replica().command("GET", "while-paused")).isEqualTo("1");
    }
}
