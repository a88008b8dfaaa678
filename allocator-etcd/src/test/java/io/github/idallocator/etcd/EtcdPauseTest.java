package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A single etcd member paused with {@code SIGSTOP} longer than a claim's TTL: the holder's renewals fail within the
 * timeout, its local deadline passes, and only after that can another instance claim the worker id.
 */
@WithEtcd
class EtcdPauseTest {

    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void pausedEtcdLetsTheLocalDeadlinePassBeforeAnotherInstanceCanClaim(EtcdProcess etcd) throws Exception {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            String namespace = "idalloc/pause/";
            EtcdWorkerIdStore a = new EtcdWorkerIdStore(client, namespace, 0, 0, "a", Duration.ofMillis(500));
            EtcdWorkerIdStore b = new EtcdWorkerIdStore(client, namespace, 0, 0, "b", Duration.ofMillis(500));
            WorkerClaim claim = a.renew(a.claim(0, TTL, "1000"), TTL, "2000");

            etcd.pause();
            try {
                assertThatThrownBy(() -> a.renew(claim, TTL, "3000"))
                        .isInstanceOf(EtcdUnavailableException.class)
                        .satisfies(e -> assertThat(((EtcdUnavailableException) e).isRetryable())
                                .isTrue());
                Awaitility.await().atMost(TTL.plusSeconds(2)).until(() -> !claim.isHeld());
                Thread.sleep(TTL.toMillis()); // paused for about twice the TTL
            } finally {
                etcd.resume();
            }

            AtomicReference<WorkerClaim> next = new AtomicReference<>();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreException(EtcdUnavailableException.class)
                    .until(() -> {
                        next.set(b.claimAnother(Duration.ofSeconds(10), "n"));
                        return next.get() != null;
                    });
            long claimedAt = System.nanoTime();

            assertThat(claimedAt - claim.localDeadlineNanos()).isPositive();
            assertThat(next.get().workerId()).isZero();
            assertThat(next.get().fencingToken()).isGreaterThan(claim.fencingToken());
            assertThat(next.get().previousNote()).isEqualTo("2000");
            assertThatThrownBy(() -> a.renew(claim, TTL, "4000")).isInstanceOf(NotOwnerException.class);
            assertThat(a.release(claim, "4000")).isFalse();
        }
    }
}
