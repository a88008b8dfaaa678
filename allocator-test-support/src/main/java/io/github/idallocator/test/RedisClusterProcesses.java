package io.github.idallocator.test;

import io.github.idallocator.launcher.RedisBinary;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.RespErrorException;
import io.github.idallocator.launcher.Waiting;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real redis-server masters, each owning an even share of the 16384 hash slots, optionally each
 * with one replica ({@link #startWithReplicas(int)}). {@link #start()} returns once every node reports {@code
 * cluster_state:ok} (and every replica is in sync with its master).
 *
 * <p>{@link #servers()} and {@link #replicas()} name the roles at start; {@link #killMasterAndAwaitFailover(int)} swaps
 * the two of one shard once the replica has taken over.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    /** How many masters {@link #start()} runs. */
    public static final int DEFAULT_MASTERS = 3;

    /** How many hash slots a Redis Cluster has. */
    public static final int SLOTS = 16384;

    private static final int SLOTS_PER_ADDSLOTS = 1000;
    private static final Duration STATE_OK_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STATE_POLL_INTERVAL = Duration.ofMillis(100);

    /** The node timeout of a cluster with replicas: how long a master may be unreachable before its replica takes over. */
    public static final Duration REPLICA_NODE_TIMEOUT = Duration.ofMillis(1000);

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> masters;
    private final List<RedisServerProcess> replicas;

    private RedisClusterProcesses(List<RedisServerProcess> masters, List<RedisServerProcess> replicas) {
        this.masters = new ArrayList<>(masters);
        this.replicas = new ArrayList<>(replicas);
    }

    /** Starts a cluster of {@code masters} masters, each with one replica, with the detected binary. */
    public static RedisClusterProcesses startWithReplicas(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("A cluster needs at least one master, not " + masters);
        }
        RedisBinary binary = RedisBinary.detect();
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            List<RedisServerProcess> primaries = new ArrayList<>();
            List<RedisServerProcess> secondaries = new ArrayList<>();
            for (int i = 0; i < masters; i++) {
                RedisServerProcess primary = startNode(binary, REPLICA_NODE_TIMEOUT);
                started.add(primary);
                primaries.add(primary);
                RedisServerProcess secondary = startNode(binary, REPLICA_NODE_TIMEOUT);
                started.add(secondary);
                secondaries.add(secondary);
            }
            RedisClusterProcesses cluster = new RedisClusterProcesses(primaries, secondaries);
            cluster.assignSlots();
            cluster.meet();
            cluster.awaitKnown(started.size());
            for (int i = 0; i < masters; i++) {
                String masterId = (String) primaries.get(i).command("CLUSTER", "MYID");
                Waiting.until(STATE_OK_TIMEOUT, STATE_POLL_INTERVAL, () -> knows(secondaries.get(0), masterId));
            }
            for (int i = 0; i < masters; i++) {
                String masterId = (String) primaries.get(i).command("CLUSTER", "MYID");
                RedisServerProcess secondary = secondaries.get(i);
                boolean replicating = Waiting.until(STATE_OK_TIMEOUT, STATE_POLL_INTERVAL, () -> {
                    try {
                        secondary.command("CLUSTER", "REPLICATE", masterId);
                        return true;
                    } catch (RespErrorException notYetKnown) {
                        return false;
                    }
                });
                if (!replicating) {
                    throw new IllegalStateException(secondary.address() + " could not become a replica of "
                            + primaries.get(i).address());
                }
            }
            for (RedisServerProcess secondary : secondaries) {
                boolean synced = Waiting.until(
                        STATE_OK_TIMEOUT, STATE_POLL_INTERVAL, () -> ((String) secondary.command("INFO", "replication"))
                                .contains("master_link_status:up"));
                if (!synced) {
                    throw new IllegalStateException(secondary.address() + " did not sync with its master within "
                            + STATE_OK_TIMEOUT + ": " + secondary.command("INFO", "replication"));
                }
            }
            cluster.awaitStateOk();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    /** Starts a cluster of {@value #DEFAULT_MASTERS} masters with the detected binary. */
    public static RedisClusterProcesses start() {
        return start(DEFAULT_MASTERS);
    }

    /** Starts a cluster of {@code masters} masters with the detected binary. */
    public static RedisClusterProcesses start(int masters) {
        return start(masters, RedisBinary.detect());
    }

    /** Starts a cluster of {@code masters} masters running {@code binary}. */
    public static RedisClusterProcesses start(int masters, RedisBinary binary) {
        if (masters < 1) {
            throw new IllegalArgumentException("A cluster needs at least one master, not " + masters);
        }
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                started.add(startNode(binary));
            }
            RedisClusterProcesses cluster = new RedisClusterProcesses(started, List.of());
            cluster.assignSlots();
            cluster.meet();
            cluster.awaitStateOk();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    /** The nodes as {@code host:port}, in the order of the slot ranges they own. */
    public List<String> nodes() {
        return masters.stream().map(RedisServerProcess::address).toList();
    }

    /** The master processes, in the order of the slot ranges they own. */
    public List<RedisServerProcess> servers() {
        return List.copyOf(masters);
    }

    /** The replica of each master, in the same order; empty for a cluster without replicas. */
    public List<RedisServerProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** Every node, masters and replicas, as {@code host:port}. */
    public List<String> allNodes() {
        List<String> all = new ArrayList<>(nodes());
        replicas.forEach(r -> all.add(r.address()));
        return all;
    }

    /**
     * Kills (SIGKILL) the master of shard {@code index} and waits until its replica has taken over its slots and every
     * live node reports {@code cluster_state:ok}; the killed master is then the shard's (stopped) replica in {@link
     * #replicas()}. Returns the new master.
     */
    public synchronized RedisServerProcess killMasterAndAwaitFailover(int index) {
        if (replicas.isEmpty()) {
            throw new IllegalStateException("This cluster has no replicas: start it with startWithReplicas");
        }
        RedisServerProcess oldMaster = masters.get(index);
        RedisServerProcess replica = replicas.get(index);
        oldMaster.kill();
        boolean promoted = Waiting.until(
                FAILOVER_TIMEOUT, STATE_POLL_INTERVAL, () -> ((String) replica.command("INFO", "replication"))
                        .contains("role:master"));
        if (!promoted) {
            throw new IllegalStateException("The replica " + replica.address() + " did not take over from the killed "
                    + "master " + oldMaster.address() + " within " + FAILOVER_TIMEOUT);
        }
        masters.set(index, replica);
        replicas.set(index, oldMaster);
        boolean ok = Waiting.until(FAILOVER_TIMEOUT, STATE_POLL_INTERVAL, () -> masters.stream()
                .allMatch(RedisClusterProcesses::isStateOk));
        if (!ok) {
            throw new IllegalStateException("The cluster did not return to cluster_state:ok after the failover");
        }
        return replica;
    }

    /** The node that owns {@code slot}. */
    public RedisServerProcess serverForSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("No such hash slot: " + slot);
        }
        return masters.get(slot * masters.size() / SLOTS);
    }

    /** The index of the shard (in {@link #servers()}) that owns the hash slot of {@code key}. */
    public int shardForKey(String key) {
        long slot = (Long) masters.get(0).command("CLUSTER", "KEYSLOT", key);
        return Math.toIntExact(slot * masters.size() / SLOTS);
    }

    /** The node that owns the hash slot of {@code key}, as computed by {@code CLUSTER KEYSLOT}. */
    public RedisServerProcess serverForKey(String key) {
        long slot = (Long) masters.get(0).command("CLUSTER", "KEYSLOT", key);
        return serverForSlot(Math.toIntExact(slot));
    }

    /** Stops every node and deletes their directories. */
    @Override
    public void close() {
        masters.forEach(RedisServerProcess::close);
        replicas.forEach(RedisServerProcess::close);
    }

    private static RedisServerProcess startNode(RedisBinary binary) {
        return startNode(binary, Duration.ofMillis(5000));
    }

    private static RedisServerProcess startNode(RedisBinary binary, Duration nodeTimeout) {
        return RedisServerProcess.builder()
                .binary(binary)
                .arguments(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        // Redis 7 otherwise waits 5 seconds before a replica's first (diskless) sync.
                        "--repl-diskless-sync-delay", "0")
                .start();
    }

    private void awaitKnown(int nodes) {
        List<RedisServerProcess> all = new ArrayList<>(masters);
        all.addAll(replicas);
        boolean known = Waiting.until(STATE_OK_TIMEOUT, STATE_POLL_INTERVAL, () -> all.stream()
                .allMatch(node -> clusterInfo(node).contains("cluster_known_nodes:" + nodes)));
        if (!known) {
            throw new IllegalStateException("The cluster nodes did not all meet within " + STATE_OK_TIMEOUT + ":\n"
                    + all.stream().map(RedisClusterProcesses::clusterInfo).collect(Collectors.joining("\n")));
        }
    }

    private static boolean knows(RedisServerProcess node, String nodeId) {
        return ((String) node.command("CLUSTER", "NODES")).contains(nodeId);
    }

    /** Gives node {@code i} the slots {@code s} with {@code s * n / SLOTS == i}, matching {@link #serverForSlot}. */
    private void assignSlots() {
        int count = masters.size();
        for (int i = 0; i < count; i++) {
            int first = (i * SLOTS + count - 1) / count;
            int last = ((i + 1) * SLOTS + count - 1) / count - 1;
            addSlots(masters.get(i), first, last);
        }
    }

    private static void addSlots(RedisServerProcess node, int first, int last) {
        for (int batchStart = first; batchStart <= last; batchStart += SLOTS_PER_ADDSLOTS) {
            int batchEnd = Math.min(last, batchStart + SLOTS_PER_ADDSLOTS - 1);
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = batchStart; slot <= batchEnd; slot++) {
                command.add(Integer.toString(slot));
            }
            node.command(command.toArray(String[]::new));
        }
    }

    private void meet() {
        RedisServerProcess first = masters.get(0);
        List<RedisServerProcess> others = new ArrayList<>(masters.subList(1, masters.size()));
        others.addAll(replicas);
        for (RedisServerProcess other : others) {
            first.command("CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
        }
    }

    private void awaitStateOk() {
        boolean ok = Waiting.until(STATE_OK_TIMEOUT, STATE_POLL_INTERVAL, () -> masters.stream()
                .allMatch(RedisClusterProcesses::isStateOk));
        if (!ok) {
            throw new IllegalStateException("The cluster did not reach cluster_state:ok within " + STATE_OK_TIMEOUT
                    + ":\n"
                    + masters.stream().map(RedisClusterProcesses::clusterInfo).collect(Collectors.joining("\n")));
        }
    }

    private static boolean isStateOk(RedisServerProcess node) {
        return clusterInfo(node).contains("cluster_state:ok");
    }

    private static String clusterInfo(RedisServerProcess node) {
        try {
            return node.address() + ": " + node.command("CLUSTER", "INFO");
        } catch (UncheckedIOException | RespErrorException e) {
            return node.address() + ": " + e.getMessage();
        }
    }
}
