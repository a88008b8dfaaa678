package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.ClusterClient;
import io.github.idallocator.test.RedisClusterProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Locks on a Redis Cluster of three masters: each lock is one key whose hash tag is its namespace and name, so locks
 * spread over the slots and every operation of one lock runs on the node that owns its slot; the release is published
 * to the whole cluster, so a waiter subscribed through any node is woken by a release on any other.
 */
@ParameterizedClass
@EnumSource(ClusterClient.class)
class LockClusterTest {

    /** Two lock names per node. */
    private static final int NAMES_PER_NODE = 2;

    /** Long, so that only the release's wake-up can explain a waiter acquiring quickly. */
    private static final Duration POLL_BOUND = Duration.ofSeconds(5);

    private static RedisClusterProcesses cluster;

    @Parameter
    ClusterClient client;

    private final List<RedisConnectionFactory> factories = new ArrayList<>();
    private final List<RedisLockService> services = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

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
    }

    @AfterEach
    void disconnect() throws Exception {
        executors.forEach(ExecutorService::shutdownNow);
        services.forEach(RedisLockService::close);
        for (RedisConnectionFactory factory : factories) {
            ((DisposableBean) factory).destroy();
        }
    }

    @Test
    void eachLockLivesOnTheNodeOfItsSlotWithItsOwnerAndATtlAndKeepsOnlyItsTokenThereAfterRelease() {
        LockConfig config = config("held");
        RedisLockService locks = service(0, config, "instance-a");
        Map<String, Long> slots = namesOnEveryNode(config);
        assertThat(new HashSet<>(slots.values())).as("slots of the lock keys").hasSizeGreaterThanOrEqualTo(3);

        for (String name : slots.keySet()) {
            String key = LockScripts.key(config, name);
            RedisServerProcess node = cluster.serverForSlot(Math.toIntExact(slots.get(name)));
            LockLease lease = locks.tryAcquire(name).orElseThrow();
            assertThat(hash(node, key))
                    .as("lock %s on its node %s", name, node.address())
                    .containsEntry("owner", lease.owner())
                    .containsEntry("token", Long.toString(lease.fencingToken()));
            assertThat((Long) node.command("PTTL", key)).isPositive();

            assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
            assertThat(hash(node, key)).as("lock %s after its release", name).doesNotContainKey("owner");
            assertThat((Long) node.command("PTTL", key)).isPositive();
        }
    }

    @Test
    void waitersOfAnotherInstanceAreWokenByTheReleaseOfLocksOnEveryNode() throws Exception {
        LockConfig config = config("wait");
        RedisLockService holder = service(0, config, "instance-a");
        RedisLockService waiter = service(1, config, "instance-b");
        List<String> names = List.copyOf(namesOnEveryNode(config).keySet());
        Map<String, LockLease> held = new LinkedHashMap<>();
        for (String name : names) {
            held.put(name, holder.tryAcquire(name).orElseThrow());
            assertThat(waiter.tryAcquire(name))
                    .as("%s while held by the other instance", name)
                    .isEmpty();
        }
        ExecutorService threads = Executors.newFixedThreadPool(names.size());
        executors.add(threads);
        Map<String, CompletableFuture<Long>> acquiredAt = new LinkedHashMap<>();
        Map<String, CompletableFuture<LockLease>> waited = new LinkedHashMap<>();
        for (String name : names) {
            CompletableFuture<Long> at = new CompletableFuture<>();
            acquiredAt.put(name, at);
            waited.put(
                    name,
                    CompletableFuture.supplyAsync(
                            () -> {
                                LockLease lease = waiter.acquire(name, Duration.ofSeconds(30));
                                at.complete(System.nanoTime());
                                return lease;
                            },
                            threads));
        }
        Awaitility.await("the waiter's subscription")
                .atMost(Duration.ofSeconds(10))
                .until(() -> subscribers(channel(config)) >= 1);
        Thread.sleep(100); // every waiter made its first attempt and sleeps

        for (String name : names) {
            assertThat(held.get(name).release()).isEqualTo(ReleaseOutcome.RELEASED);
            long released = System.nanoTime();
            LockLease lease = waited.get(name).get(POLL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            long took = acquiredAt.get(name).get() - released;
            assertThat(Duration.ofNanos(took))
                    .as("release of %s -> the waiter acquired it (poll bound %s)", name, POLL_BOUND)
                    .isLessThan(POLL_BOUND.dividedBy(3));
            assertThat(lease.fencingToken()).isGreaterThan(held.get(name).fencingToken());
            assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        }
    }

    private LockConfig config(String test) {
        return LockConfig.builder("cluster-" + test + "-" + client.name().toLowerCase(Locale.ROOT))
                .waitPollBound(POLL_BOUND)
                .build();
    }

    private RedisLockService service(int factory, LockConfig config, String instanceId) {
        RedisLockService service = RedisLockService.create(factories.get(factory), config, instanceId);
        services.add(service);
        return service;
    }

    /** Lock names, {@value #NAMES_PER_NODE} per master, with the hash slot of each one's key ({@code CLUSTER KEYSLOT}). */
    private static Map<String, Long> namesOnEveryNode(LockConfig config) {
        Map<String, Long> names = new LinkedHashMap<>();
        Map<RedisServerProcess, Integer> perNode = new LinkedHashMap<>();
        for (int i = 0; names.size() < NAMES_PER_NODE * cluster.servers().size(); i++) {
            String name = "lock-" + i;
            long slot = (Long) cluster.servers().get(0).command("CLUSTER", "KEYSLOT", LockScripts.key(config, name));
            RedisServerProcess node = cluster.serverForSlot(Math.toIntExact(slot));
            if (perNode.merge(node, 1, Integer::sum) <= NAMES_PER_NODE) {
                names.put(name, slot);
            }
        }
        Set<RedisServerProcess> nodes = new HashSet<>(perNode.keySet());
        assertThat(nodes)
                .as("nodes holding the locks")
                .hasSize(cluster.servers().size());
        return names;
    }

    private static String channel(LockConfig config) {
        return LockScripts.releaseChannel(config);
    }

    /** Subscribers of {@code channel} over all masters. */
    private static long subscribers(String channel) {
        long count = 0;
        for (RedisServerProcess node : cluster.servers()) {
            List<?> reply = (List<?>) node.command("PUBSUB", "NUMSUB", channel);
            count += Long.parseLong(reply.get(1).toString());
        }
        return count;
    }

    private static Map<String, String> hash(RedisServerProcess node, String key) {
        List<?> flat = (List<?>) node.command("HGETALL", key);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }
}
