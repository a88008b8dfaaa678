package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisReplicatedProcesses;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replica acknowledgement for sequences: a segment is used only once a replica confirmed its grant ({@code WAIT});
 * without the confirmation the call fails with {@link ReplicaAckException} and the segment's ids are never handed out.
 */
@WithRedisClients
class SequenceReplicaAckTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(500);

    private final RedisClient client;

    SequenceReplicaAckTest(RedisClient client) {
        this.client = client;
    }

    private static RedisReplicatedProcesses servers;
    private RedisClient.Factory factory;
    private RedisSequenceAllocator sequence;

    @BeforeAll
    static void startPrimaryAndReplica() {
        servers = RedisReplicatedProcesses.start();
    }

    @AfterAll
    static void stopPrimaryAndReplica() {
        servers.close();
    }

    @BeforeEach
    void connect() {
        servers.primary().command("CONFIG", "RESETSTAT");
        factory = client.connectWithClientDefaults(servers.primary(), Duration.ofSeconds(2));
        sequence = RedisSequenceAllocator.create(
                factory.connectionFactory(),
                SequenceConfig.builder("acks-" + UUID.randomUUID())
                        .step(10)
                        .maxStep(10)
                        .recoveryPeriod(Duration.ZERO)
                        .replicaAcks(1)
                        .replicaAckTimeout(ACK_TIMEOUT)
                        .build());
    }

    @AfterEach
    void resumeReplicaAndDisconnect() {
        try {
            sequence.close();
        } finally {
            servers.resumeReplica();
            factory.close();
        }
    }

    @Test
    void aSegmentIsUsedOnceAReplicaConfirmedItsGrant() {
        long first = sequence.next();

        assertThat(first).isEqualTo(1);
        assertThat(String.valueOf(servers.primary().command("INFO", "commandstats")))
                .contains("cmdstat_wait:calls=");
    }

    @Test
    void withoutAConfirmationTheCallFailsAndTheSegmentIsNeverHandedOut() {
        servers.pauseReplica();

        Throwable thrown = catchThrowable(sequence::next);

        assertThat(thrown).isInstanceOfSatisfying(ReplicaAckException.class, e -> assertThat(e.isRetryable())
                .isTrue());
        servers.resumeReplica();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    long id = sequence.next();
                    assertThat(id)
                            .as("an id of the unconfirmed segment [1, 10]")
                            .isGreaterThan(10);
                    return true;
                });
    }
}
