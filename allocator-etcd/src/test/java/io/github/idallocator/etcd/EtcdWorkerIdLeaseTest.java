package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Snowflake generator supplied by a {@link WorkerIdLease} over {@link EtcdWorkerIdStore}, on a real single-member
 * etcd: acquire, renewal past the TTL, release with the last issued timestamp and the handover to the next holder.
 */
@WithEtcd
class EtcdWorkerIdLeaseTest {

    /** 3 s lease renewed every 500 ms; ids stop 300 ms before the local end; 2 s handover wait. */
    static final WorkerLeaseSettings SETTINGS = new WorkerLeaseSettings(
            Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(2));

    private static Client client;
    private String namespace;
    private final List<WorkerIdLease> leases = new ArrayList<>();
    private ScheduledExecutorService scheduler;

    @BeforeAll
    static void connect(EtcdProcess etcd) {
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "idalloc/lease-" + UUID.randomUUID() + "/";
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void closeLeases() {
        leases.forEach(WorkerIdLease::close);
        scheduler.shutdownNow();
    }

    private EtcdWorkerIdStore store(String instance, long maxId) {
        return new EtcdWorkerIdStore(client, namespace, 0, maxId, instance, Duration.ofSeconds(2));
    }

    private WorkerIdLease lease(EtcdWorkerIdStore store, SnowflakeIdGenerator generator, LongSupplier clock) {
        WorkerIdLease lease = new WorkerIdLease(store, generator, SETTINGS, clock);
        leases.add(lease);
        return lease;
    }

    private static SnowflakeIdGenerator generator(LongSupplier clock) {
        return SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(clock)
                .build();
    }

    @Test
    void aLeaseTakesAWorkerIdFromEtcdAndTheGeneratorIssuesIdsWithIt() {
        SnowflakeIdGenerator generator = generator(System::currentTimeMillis);
        WorkerIdLease lease = lease(store("a", 7), generator, System::currentTimeMillis);

        lease.acquire();

        assertThat(lease.workerId()).isBetween(0L, 7L);
        assertThat(lease.claim().owner()).isEqualTo("a");
        long first = generator.nextId();
        long second = generator.nextId();
        assertThat(second).isGreaterThan(first);
        assertThat(generator.decompose(second).workerId()).isEqualTo(lease.workerId());
        assertThat(etcdValue("workers/" + lease.workerId())).isEqualTo("a");
    }

    @Test
    void scheduledRenewalsKeepTheWorkerIdAndTheGeneratorRunningPastTheFirstClaimsDeadline() {
        SnowflakeIdGenerator generator = generator(System::currentTimeMillis);
        WorkerIdLease lease = lease(store("a", 0), generator, System::currentTimeMillis);
        List<WorkerLeaseEvent> events = new CopyOnWriteArrayList<>();
        lease.addListener(events::add);
        lease.acquire();
        // one renewal by hand first: on a cold client and a loaded machine the claim alone can use much of the budget
        lease.renew();
        lease.start(scheduler);
        WorkerClaim first = lease.claim();

        try (IdIssuer issuer = new IdIssuer(generator, "renewals")) {
            // past the local end the first claim had without renewal, and one heartbeat more
            Awaitility.await()
                    .atMost(SETTINGS.ttl().multipliedBy(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> System.nanoTime() - first.localDeadlineNanos()
                            > SETTINGS.heartbeatInterval().toNanos());

            assertThat(issuer.refused()).as("ids refused while renewals ran").isZero();
            assertThat(issuer.unexpected()).isNull();
            assertThat(issuer.issued()).isPositive();
        }
        assertThat(generator.isGranted()).isTrue();
        assertThat(lease.lastRenewalNanos())
                .isGreaterThan(first.localDeadlineNanos() - SETTINGS.ttl().toNanos());
        assertThat(lease.claim().fencingToken()).isEqualTo(first.fencingToken());
        assertThat(lease.workerId()).isEqualTo(first.workerId());
        assertThat(events).extracting(WorkerLeaseEvent::type).containsExactly(WorkerLeaseEvent.Type.ACQUIRED);
        assertThat(store("b", 0).claimAnother(SETTINGS.ttl(), "b"))
                .as("still held by a")
                .isNull();
    }

    @Test
    void closeReleasesWithTheLastIssuedTimestampAndTheNextHolderIssuesOnlyAfterIt() {
        // the first holder's clock runs 300 ms ahead, so the next holder has a timestamp in its future to wait out
        LongSupplier aheadClock = () -> System.currentTimeMillis() + 300;
        SnowflakeIdGenerator firstGenerator = generator(aheadClock);
        WorkerIdLease firstLease = lease(store("a", 0), firstGenerator, aheadClock);
        List<WorkerLeaseEvent> events = new CopyOnWriteArrayList<>();
        firstLease.addListener(events::add);
        firstLease.acquire();
        long lastOfFirst = firstGenerator.nextId();

        firstLease.close();

        assertThatThrownBy(firstGenerator::nextId).isInstanceOf(WorkerLeaseLostException.class);
        assertThat(events).extracting(WorkerLeaseEvent::type).endsWith(WorkerLeaseEvent.Type.RELEASED);
        assertThat(etcdValue("workers/0")).as("claim key deleted").isNull();
        String note = etcdValue("notes/0");
        long noteMillis = Long.parseLong(note.split(" ")[0]);
        assertThat(note).isEqualTo(firstGenerator.lastIssuedMillis() + " a");
        assertThat(noteMillis)
                .isGreaterThanOrEqualTo(
                        firstGenerator.decompose(lastOfFirst).timestamp().toEpochMilli());

        SnowflakeIdGenerator secondGenerator = generator(System::currentTimeMillis);
        WorkerIdLease secondLease = lease(store("b", 0), secondGenerator, System::currentTimeMillis);
        secondLease.acquire();

        assertThat(System.currentTimeMillis())
                .as("clock past the predecessor's note")
                .isGreaterThan(noteMillis);
        assertThat(secondLease.workerId()).isZero();
        assertThat(secondLease.claim().previousNote()).isEqualTo(note);
        long firstOfSecond = secondGenerator.nextId();
        assertThat(firstOfSecond).isGreaterThan(lastOfFirst);
        assertThat(secondGenerator.decompose(firstOfSecond).timestamp().toEpochMilli())
                .isGreaterThan(noteMillis);
    }

    private String etcdValue(String key) {
        try {
            var kvs = client.getKVClient()
                    .get(ByteSequence.from(namespace + key, StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS)
                    .getKvs();
            return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + namespace + key, e);
        }
    }
}
