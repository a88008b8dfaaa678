package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.idallocator.RedisRefusedException;
import io.github.idallocator.RedisSetupException;
import io.github.idallocator.test.RedisBinary;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisClusterProcesses;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.RespErrorException;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What callers see when Redis refuses an operation, as it does during a failover, a restart or an overload: a typed
 * exception that says whether a retry can help and names Redis' error code, never the bare base exception. Each test
 * provokes one refusal on real redis-server processes of its own; a command refused inside a script arrives wrapped
 * ("ERR Error running script ... -NOREPLICAS ..." on Redis 6.2, "NOREPLICAS ... script: ..." on 7.0).
 */
@WithRedisClients
class RedisRefusalTest {

    private final RedisClient client;

    RedisRefusalTest(RedisClient client) {
        this.client = client;
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String name = "refusal-" + UUID.randomUUID();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisServerProcess server(String... arguments) {
        RedisServerProcess server = RedisServerProcess.start(arguments);
        resources.add(server);
        return server;
    }

    private RedisClient.Factory connect(RedisServerProcess server) {
        RedisClient.Factory factory = client.connect(server);
        resources.add(factory);
        return factory;
    }

    private IdAllocatorConfig config() {
        return IdAllocatorConfig.builder(name, 0, 99).reuseDelay(Duration.ZERO).build();
    }

    private RedisIdAllocator allocator(RedisServerProcess server) {
        return RedisIdAllocator.createOrAttach(connect(server).connectionFactory(), config(), "instance-a");
    }

    private static RedisRefusedException refused(ThrowingCallable call, String code) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(RedisRefusedException.class);
        RedisRefusedException refused = (RedisRefusedException) thrown;
        assertThat(refused.isRetryable()).isTrue();
        assertThat(refused.errorCode()).isEqualTo(code);
        assertThat(refused.getMessage()).contains(code).contains("allocator '");
        return refused;
    }

    private static RedisSetupException setup(ThrowingCallable call, String code) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(RedisSetupException.class);
        RedisSetupException setup = (RedisSetupException) thrown;
        assertThat(setup.isRetryable()).isFalse();
        assertThat(setup.errorCode()).isEqualTo(code);
        assertThat(setup.getMessage()).contains(code).contains("allocator '");
        return setup;
    }

    @Test
    void tooFewReplicasForMinReplicasToWriteIsARetryableNoReplicasRefusal() {
        RedisServerProcess primary = server();
        RedisIdAllocator ids = allocator(primary);
        primary.command("CONFIG", "SET", "min-replicas-to-write", "1");

        RedisRefusedException e = refused(ids::allocate, "NOREPLICAS");

        assertThat(e.getMessage()).contains("min-replicas-to-write");
    }

    @Test
    void aScriptSentToAReplicaIsARetryableReadOnlyRefusal() {
        RedisServerProcess primary = server();
        RedisServerProcess replica = server("--replicaof", primary.host(), Integer.toString(primary.port()));

        RedisRefusedException e = refused(() -> allocator(replica), "READONLY");

        assertThat(e.getMessage()).contains("connected to a replica").contains("spring.data.redis");
    }

    @Test
    void aReplicaThatLostItsPrimaryAndServesNoStaleDataIsARetryableMasterDownRefusal() {
        RedisServerProcess primary = server();
        RedisServerProcess replica = server(
                "--replicaof", primary.host(), Integer.toString(primary.port()), "--replica-serve-stale-data", "no");
        primary.kill();
        resources.add(replica::kill);

        RedisRefusedException e = refused(() -> allocator(replica), "MASTERDOWN");

        assertThat(e.getMessage()).contains("replica-serve-stale-data");
    }

    @Test
    void aLongRunningScriptOfAnotherClientIsARetryableBusyRefusal() {
        RedisServerProcess server = server("--lua-time-limit", "10");
        RedisIdAllocator ids = allocator(server);
        Thread busy = new Thread(() -> {
            try {
                server.command("EVAL", "while true do end", "0");
            } catch (RuntimeException killedOrTimedOut) {
                // SCRIPT KILL ends it with an error reply.
            }
        });
        busy.start();
        resources.add(() -> {
            killScript(server);
            busy.join(Duration.ofSeconds(10).toMillis());
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> isBusy(server));

        refused(ids::allocate, "BUSY");
    }

    @Test
    void aReplicaLoadingItsDataSetIsARetryableLoadingRefusal() {
        // A primary with 20 MB that the replica loads at 1 ms per key (2 s): it answers LOADING meanwhile, every 2 MB.
        RedisServerProcess primary = server("--repl-diskless-sync-delay", "0", "--rdbcompression", "no");
        primary.command("EVAL", "for i = 1, 2000 do redis.call('SET', 'k' .. i, string.rep('x', 10000)) end", "0");
        RedisServerProcess replica = server("--key-load-delay", "1000");
        RedisIdAllocator ids = allocator(replica);
        replica.command("REPLICAOF", primary.host(), Integer.toString(primary.port()));

        AtomicReference<Throwable> loading = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    loading.set(catchThrowable(ids::allocate));
                    return loading.get() instanceof RedisRefusedException r
                            && r.errorCode().equals("LOADING");
                });

        refused(
                () -> {
                    throw loading.get();
                },
                "LOADING");
    }

    @Test
    void aClusterNodeThatServesNoSlotIsARetryableClusterDownRefusal() {
        RedisServerProcess node = server("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");

        refused(() -> allocator(node), "CLUSTERDOWN");
    }

    @Test
    void outOfMemoryWithoutEvictionIsNotRetryableAndSaysToRaiseMaxmemory() {
        RedisServerProcess server = server("--maxmemory-policy", "noeviction");
        RedisIdAllocator ids = allocator(server);
        server.command("CONFIG", "SET", "maxmemory", "1");

        RedisSetupException e = setup(ids::allocate, "OOM");

        assertThat(e.getMessage()).contains("maxmemory").contains("noeviction");
    }

    @Test
    void aCommandTheRedisUserMayNotRunInsideAScriptIsNotRetryableAndPointsToTheAclList() {
        RedisServerProcess server = server();
        allocator(server);
        server.command("ACL", "SETUSER", "no-setbit", "on", ">secret", "~*", "+@all", "-setbit");
        RedisClient.Factory restricted = client.connect(server, "no-setbit", "secret");
        resources.add(restricted);
        RedisIdAllocator ids = RedisIdAllocator.createOrAttach(restricted.connectionFactory(), config(), "instance-b");

        RedisSetupException e = setup(ids::allocate, "NOPERM");

        assertThat(e.getMessage()).contains("docs/operations.md");
    }

    @Test
    void aClusterNodeReachedWithoutClusterModeIsNotRetryableAndSaysToConfigureClusterNodes() {
        RedisClusterProcesses cluster = RedisClusterProcesses.start(2);
        resources.add(cluster);
        RedisServerProcess owner = cluster.serverForKey("{" + name + "}");
        RedisServerProcess other = cluster.servers().get(0) == owner
                ? cluster.servers().get(1)
                : cluster.servers().get(0);

        RedisSetupException e = setup(() -> allocator(other), "MOVED");

        assertThat(e.getMessage()).contains("spring.data.redis.cluster.nodes");
    }

    @Test
    void aSlotMigratingAwayWithNoneOfTheKeysLeftIsAnAskThatSaysToConfigureClusterNodes() {
        RedisServerProcess owner = clusterWithSlotMigrating();

        RedisSetupException e = setup(() -> allocator(owner), "ASK");

        assertThat(e.getMessage()).contains("spring.data.redis.cluster.nodes");
    }

    @Test
    void aSlotMigratingAwayWithOnlySomeOfTheKeysLeftIsARetryableTryAgainRefusal() {
        // Redis 6.2 answers ASK on the migrating node whatever keys it still has; 7 answers TRYAGAIN when it has some.
        assumeTrue(Integer.parseInt(RedisBinary.detect().version().split("\\.")[0]) >= 7, "Redis 7 or later");
        RedisClusterProcesses cluster = RedisClusterProcesses.start(2);
        resources.add(cluster);
        RedisServerProcess owner = cluster.serverForKey("{" + name + "}");
        RedisIdAllocator ids = allocator(owner);
        migrateSlotAway(cluster, owner);

        refused(ids::allocate, "TRYAGAIN");
    }

    /** A 2-node cluster whose node owning this test's allocator slot has started migrating it to the other node. */
    private RedisServerProcess clusterWithSlotMigrating() {
        RedisClusterProcesses cluster = RedisClusterProcesses.start(2);
        resources.add(cluster);
        RedisServerProcess owner = cluster.serverForKey("{" + name + "}");
        migrateSlotAway(cluster, owner);
        return owner;
    }

    private void migrateSlotAway(RedisClusterProcesses cluster, RedisServerProcess owner) {
        RedisServerProcess target = cluster.servers().get(0) == owner
                ? cluster.servers().get(1)
                : cluster.servers().get(0);
        String slot = String.valueOf(owner.command("CLUSTER", "KEYSLOT", "{" + name + "}"));
        target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", (String) owner.command("CLUSTER", "MYID"));
        owner.command("CLUSTER", "SETSLOT", slot, "MIGRATING", (String) target.command("CLUSTER", "MYID"));
    }

    private static boolean isBusy(RedisServerProcess server) {
        try {
            server.command("PING");
            return false;
        } catch (RespErrorException e) {
            return e.getMessage().startsWith("BUSY");
        }
    }

    private static void killScript(RedisServerProcess server) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            try {
                server.command("SCRIPT", "KILL");
            } catch (RespErrorException e) {
                if (!e.getMessage().startsWith("NOTBUSY")) {
                    throw e;
                }
            }
            return true;
        });
    }
}
