package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClusterProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The allocator on a Redis Cluster of three masters: every key of one allocator hashes to one slot and every script
 * names all the keys it touches in KEYS, so every operation runs on the node that owns the allocator's slot; allocators
 * with other names land on other nodes and work side by side.
 */
@ParameterizedClass
@EnumSource(ClusterClient.class)
class RedisClusterTest {

    private static RedisClusterProcesses cluster;

    @Parameter
    ClusterClient client;

    private RedisConnectionFactory factory;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void connect() {
        factory = client.connect(cluster.nodes());
    }

    @AfterEach
    void disconnect() throws Exception {
        ((DisposableBean) factory).destroy();
    }

    private RedisIdAllocator allocator(String name, String instance) {
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, 0, 9999)
                .reuseDelay(Duration.ZERO)
                .build();
        return RedisIdAllocator.createOrAttach(factory, config, instance);
    }

    /** The node that owns the allocator's hash tag, and the names of the keys each node holds for it. */
    private static RedisServerProcess nodeOf(String name) {
        return cluster.serverForKey("{" + name + "}");
    }

    private static List<String> keysOn(RedisServerProcess node, String name) {
        List<String> keys = new ArrayList<>();
        ((List<?>) node.command("KEYS", "*{" + name + "}*")).forEach(k -> keys.add(k.toString()));
        return keys;
    }

    @Test
    void occupancyReadsTheAllocatorsKeysOnTheNodeOfItsSlot() {
        RedisIdAllocator ids = allocator("occupancy-" + UUID.randomUUID(), "instance-a");
        ids.reserveRange(1000, 1999);

        Occupancy picture = ids.occupancy(10);

        assertThat(picture.precision()).isEqualTo(Occupancy.Precision.COUNTED);
        assertThat(picture.takenCells()).containsExactly(0, 1000, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void everyOperationWorksOnAClusterAndKeepsAllKeysOnTheNodeOfTheAllocatorsSlot() {
        String name = "cluster-" + UUID.randomUUID();
        RedisIdAllocator a = allocator(name, "instance-a");
        RedisIdAllocator b = allocator(name, "instance-b");

        Lease single = a.allocate();
        List<Lease> batch = a.allocate(3);
        Lease run = b.allocateRange(10);
        Lease reserved = a.reserve(500).orElseThrow();
        Lease reservedRun = b.reserveRange(600, 609).orElseThrow();
        Lease expiring = a.allocate(Duration.ofMillis(20));
        Lease renewed = a.extendTtl(single, Duration.ofMinutes(10));

        assertThat(single.id()).isZero();
        assertThat(batch).extracting(Lease::id).containsExactly(1L, 2L, 3L);
        assertThat(run.firstId()).isEqualTo(4);
        assertThat(reserved.id()).isEqualTo(500);
        assertThat(reservedRun.count()).isEqualTo(10);
        assertThat(renewed.expiresAt()).isAfter(single.expiresAt());
        assertThat(b.leaseOf(8)).map(Lease::firstId).contains(4L);
        assertThat(a.isAllocated(605)).isTrue();
        assertThat(a.allocatedIds(LeasePage.START, 100).leases()).hasSize(8);
        await().atMost(Duration.ofSeconds(2)).until(() -> !a.isAllocated(expiring.id()));
        assertThat(a.role()).isEqualTo(Role.CREATOR);
        assertThat(a.heartbeat()).isEqualTo(Role.CREATOR);
        assertThat(b.heartbeat()).isEqualTo(Role.CONSUMER);
        assertThat(a.cleanupExpired()).isEqualTo(1);

        assertThat(a.free(single)).isTrue();
        assertThat(a.free(batch.get(0).id())).isTrue();
        assertThat(b.freeRange(run.firstId(), run.lastId())).isTrue();
        assertThat(a.forceFree(600)).isTrue();
        AllocatorStats stats = b.stats();
        assertThat(stats.allocated()).isEqualTo(3);
        assertThat(stats.leases()).isEqualTo(3);
        assertThat(stats.creatorId()).isEqualTo("instance-a");

        RedisServerProcess home = nodeOf(name);
        assertThat(keysOn(home, name)).hasSizeGreaterThanOrEqualTo(5).allSatisfy(k -> assertThat(k)
                .startsWith("idalloc:{" + name + "}:"));
        for (RedisServerProcess other : cluster.servers()) {
            if (other != home) {
                assertThat(keysOn(other, name)).as("keys on %s", other).isEmpty();
            }
        }

        a.releaseCreatorRole();
        assertThat(b.heartbeat()).isEqualTo(Role.CREATOR);
        b.clearAll();
        assertThat(a.stats().allocated()).isZero();
    }

    @Test
    void replicaAcksOnAClusterConnectionFailWithAMessageThatSaysSoAndGrantNothing() {
        String name = "cluster-" + UUID.randomUUID();
        IdAllocatorConfig config =
                IdAllocatorConfig.builder(name, 0, 9999).replicaAcks(1).build();
        RedisIdAllocator ids = RedisIdAllocator.createOrAttach(factory, config, "instance-a");

        assertThatThrownBy(ids::allocate)
                .isExactlyInstanceOf(IdAllocatorException.class)
                .hasMessageContaining("replicaAcks")
                .hasMessageContaining("not supported with Redis Cluster");
        assertThat(ids.stats().allocated()).isZero();
    }

    @Test
    void allocatorsWhoseSlotsBelongToDifferentNodesBothWork() {
        String first = "cluster-" + UUID.randomUUID();
        String second = first;
        while (nodeOf(second) == nodeOf(first)) {
            second = "cluster-" + UUID.randomUUID();
        }
        RedisIdAllocator one = allocator(first, "instance-a");
        RedisIdAllocator two = allocator(second, "instance-a");

        Lease fromOne = one.allocateRange(5);
        Lease fromTwo = two.allocateRange(7);

        assertThat(fromOne.firstId()).isZero();
        assertThat(fromTwo.firstId()).isZero();
        assertThat(one.stats().allocated()).isEqualTo(5);
        assertThat(two.stats().allocated()).isEqualTo(7);
        assertThat(keysOn(nodeOf(first), first)).isNotEmpty();
        assertThat(keysOn(nodeOf(second), second)).isNotEmpty();
        assertThat(keysOn(nodeOf(first), second)).isEmpty();
        assertThat(one.free(fromOne)).isTrue();
        assertThat(two.free(fromTwo)).isTrue();
    }
}
