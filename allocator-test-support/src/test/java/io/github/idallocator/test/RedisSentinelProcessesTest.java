package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.Waiting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read-only checks share one setup; the failover tests start their own, since they change who is primary. */
class RedisSentinelProcessesTest {

    private static RedisSentinelProcesses sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinelProcesses.start();
    }

    @AfterAll
    static void stopSentinel() {
        sentinel.close();
    }

    @Test
    void sentinelReportsTheMasterAddress() {
        Object address = sentinel.sentinel().command("SENTINEL", "get-master-addr-by-name", sentinel.masterName());

        assertThat(address)
                .isEqualTo(List.of(
                        sentinel.master().host(),
                        Integer.toString(sentinel.master().port())));
        assertThat(sentinel.sentinelHost()).isEqualTo("127.0.0.1");
        assertThat(sentinel.sentinelPort()).isEqualTo(sentinel.sentinel().port());
    }

    @Test
    void replicaReceivesWritesToTheMaster() {
        sentinel.master().command("SET", "sentinel:key", "value");

        assertThat(Waiting.until(Duration.ofSeconds(5), () -> "value"
                        .equals(sentinel.replica().command("GET", "sentinel:key"))))
                .isTrue();
    }

    @Test
    void sentinelFailoverPromotesTheReplica() {
        try (RedisSentinelProcesses own = RedisSentinelProcesses.start()) {
            own.master().command("SET", "failover:key", "value");
            awaitOnReplica(own, "failover:key");

            RedisServerProcess promoted = own.failover();

            assertThat(promoted).isSameAs(own.replica());
            assertThat(own.currentPrimary()).isSameAs(own.replica());
            assertThat(own.currentReplica()).isSameAs(own.master());
            assertThat(promoted.command("GET", "failover:key")).isEqualTo("value");
            promoted.command("SET", "failover:after", "written");
            // The old primary keeps running as a primary until the Sentinel demotes it (about 15 s later).
            assertThat(own.master().isRunning()).isTrue();
        }
    }

    @Test
    void killedPrimaryIsReplacedAndComesBackAsReplica() {
        try (RedisSentinelProcesses own = RedisSentinelProcesses.start()) {
            own.master().command("SET", "kill:key", "value");
            Waiting.until(
                    Duration.ofSeconds(5), () -> "value".equals(own.replica().command("GET", "kill:key")));

            RedisServerProcess promoted = own.killPrimary();

            assertThat(promoted).isSameAs(own.replica());
            assertThat(own.master().isRunning()).isFalse();
            assertThat(promoted.command("GET", "kill:key")).isEqualTo("value");

            own.restartAsReplica(own.master());
            assertThat(own.master().command("GET", "kill:key")).isEqualTo("value");
        }
    }

    /**
     * Waits until the replica has {@code key}. (WAIT would not do: {@link RedisServerProcess#command} opens a connection
     * per command, and WAIT only counts the writes of its own connection.)
     */
    private static void awaitOnReplica(RedisSentinelProcesses setup, String key) {
        assertThat(Waiting.until(Duration.ofSeconds(10), () -> "value"
                        .equals(setup.replica().command("GET", key))))
                .isTrue();
    }
}
