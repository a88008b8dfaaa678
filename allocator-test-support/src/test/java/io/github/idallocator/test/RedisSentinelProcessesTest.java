package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
