package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.ClusterClient;
import io.github.idallocator.test.RedisClusterProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
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
 * Pools on a Redis Cluster of three masters: every key of one pool lives in one slot (the hash tag {@code
 * {pool:<name>}}), so each operation is one script on the node owning it; pools of different names spread over the
 * nodes, and a release on any node wakes a waiter subscribed through any other.
 */
@ParameterizedClass
@EnumSource(ClusterClient.class)
class PoolClusterTest {

    /** Long, so that only the release's wake-up can explain a waiter acquiring quickly. */
    private static final Duration POLL_BOUND = Duration.ofSeconds(5);

    private static RedisClusterProcesses cluster;

    @Parameter
    ClusterClient client;

    private final List<RedisConnectionFactory> factories = new ArrayList<>();
    private final List<RedisResourcePool> pools = new ArrayList<>();
    private ExecutorService executor;

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
        factories.add(client.connect(cluster.nodes()));
        factories.add(client.connect(cluster.nodes()));
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void disconnect() throws Exception {
        executor.shutdownNow();
        pools.forEach(RedisResourcePool::close);
        for (RedisConnectionFactory factory : factories) {
            ((DisposableBean) factory).destroy();
        }
    }

    private RedisResourcePool pool(int factory, PoolConfig config) {
        RedisResourcePool pool =
                RedisResourcePool.createOrAttach(factories.get(factory), config, "instance-" + pools.size());
        pools.add(pool);
        return pool;
    }

    private PoolConfig config(String name) {
        return PoolConfig.builder(name + "-" + client.name().toLowerCase(java.util.Locale.ROOT))
                .waitPollBound(POLL_BOUND)
                .build();
    }

    private static long slot(String key) {
        return (Long) cluster.servers().get(0).command("CLUSTER", "KEYSLOT", key);
    }

    @Test
    void everyKeyOfAPoolIsInOneSlot() {
        Set<Long> slots = new HashSet<>();
        for (String key : PoolScripts.keys(config("one-slot"))) {
            slots.add(slot(key));
        }

        assertThat(slots).hasSize(1);
    }

    @Test
    void poolsOfDifferentNamesSpreadOverTheNodes() {
        Set<RedisServerProcess> nodes = new HashSet<>();
        for (int i = 0; i < 30 && nodes.size() < cluster.servers().size(); i++) {
            String meta = PoolScripts.keys(config("spread-" + i)).get(0);
            nodes.add(cluster.serverForSlot(Math.toIntExact(slot(meta))));
        }

        assertThat(nodes).hasSize(cluster.servers().size());
    }

    @Test
    void everyOperationRunsOnTheClusterWithTheStateOnTheNodeOfItsSlot() {
        PoolConfig config = config("operations");
        RedisResourcePool pool = pool(0, config);
        pool.add("a", 1, "meta");
        pool.add("b", 0, null);

        ResourceLease lease =
                pool.tryAcquire(AcquireOptions.defaults().preferBound("w1")).orElseThrow();
        assertThat(lease.resource()).isEqualTo("b");
        assertThat(pool.quarantine("a", Duration.ofMinutes(1), "test")).isTrue();
        assertThat(pool.snapshot().totals().quarantined()).isEqualTo(1);
        assertThat(pool.restore("a")).isTrue();
        assertThat(pool.binding("w1")).map(Binding::resource).contains("b");
        assertThat(lease.renew()).isTrue();
        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(pool.remove("a", Removal.FORCE)).isTrue();

        String res = PoolScripts.keys(config).get(1);
        RedisServerProcess node = cluster.serverForSlot(Math.toIntExact(slot(res)));
        assertThat(node.command("HEXISTS", res, "b")).isEqualTo(1L);
    }

    @Test
    void aReleaseOnOneConnectionWakesAWaiterOfAnother() throws Exception {
        PoolConfig config = config("wake");
        RedisResourcePool first = pool(0, config);
        RedisResourcePool second = pool(1, config);
        first.add("a");
        ResourceLease held = first.tryAcquire().orElseThrow();
        Future<ResourceLease> waiter = executor.submit(() -> second.acquire(Duration.ofSeconds(30)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> first.snapshot().totals().waiters() == 1);
        Thread.sleep(300);

        long start = System.nanoTime();
        held.release();
        ResourceLease lease = waiter.get(10, TimeUnit.SECONDS);

        assertThat(lease.resource()).isEqualTo("a");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(POLL_BOUND);
    }
}
