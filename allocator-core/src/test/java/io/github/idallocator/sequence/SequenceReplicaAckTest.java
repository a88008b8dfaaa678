package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.test.RedisServerProcess;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replica acknowledgement for sequences: a segment is used only once a replica confirmed its grant ({@code WAIT});
 * without the confirmation the call fails with {@link ReplicaAckException} and the segment's ids are never handed out.
 */
@ParameterizedClass
@EnumSource(SequenceClient.class)
class SequenceReplicaAckTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(500);

    @Parameter
    SequenceClient client;

    private static RedisServerProcess primary;
    private static RedisServerProcess replica;
    private SequenceClient.Factory factory;
    private RedisSequenceAllocator sequence;
    private boolean replicaPaused;

    @BeforeAll
    static void startPrimaryAndReplica() {
        primary = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        replica = RedisServerProcess.start("--replicaof", primary.host(), Integer.toString(primary.port()));
        primary.command("SET", "replica-ready", "1");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "1".equals(replica.command("GET", "replica-ready"))
                        && Long.valueOf(1).equals(primary.command("WAIT", "1", "100")));
    }

    @AfterAll
    static void stopPrimaryAndReplica() {
        try {
            replica.close();
        } finally {
            primary.close();
        }
    }

    @BeforeEach
    void connect() {
        primary.command("CONFIG", "RESETSTAT");
        factory = client.connect(primary, Duration.ofSeconds(2));
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
    void resumeReplicaAndDisconnect() throws Exception {
        try {
            sequence.close();
        } finally {
            if (replicaPaused) {
                signal("CONT");
            }
            factory.close();
        }
    }

    private static void signal(String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(replica.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(exit).as("kill -" + signal).isZero();
    }

    @Test
    void aSegmentIsUsedOnceAReplicaConfirmedItsGrant() {
        long first = sequence.next();

        assertThat(first).isEqualTo(1);
        assertThat(String.valueOf(primary.command("INFO", "commandstats"))).contains("cmdstat_wait:calls=");
    }

    @Test
    void withoutAConfirmationTheCallFailsAndTheSegmentIsNeverHandedOut() throws Exception {
        signal("STOP");
        replicaPaused = true;

        Throwable thrown = catchThrowable(sequence::next);

        assertThat(thrown).isInstanceOfSatisfying(ReplicaAckException.class, e -> assertThat(e.isRetryable())
                .isTrue());
        signal("CONT");
        replicaPaused = false;
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
