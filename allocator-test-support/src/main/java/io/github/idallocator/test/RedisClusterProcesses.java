package io.github.idallocator.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of real redis-server masters without replicas, each owning an even share of the 16384 hash slots.
 * {@link #start()} returns once every node reports {@code cluster_state:ok}.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    /** How many masters {@link #start()} runs. */
    public static final int DEFAULT_MASTERS = 3;

    /** How many hash slots a Redis Cluster has. */
    public static final int SLOTS = 16384;

    private static final int SLOTS_PER_ADDSLOTS = 1000;
    private static final Duration STATE_OK_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STATE_POLL_INTERVAL = Duration.ofMillis(100);

    private final List<RedisServerProcess> masters;

    private RedisClusterProcesses(List<RedisServerProcess> masters) {
        this.masters = List.copyOf(masters);
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
            RedisClusterProcesses cluster = new RedisClusterProcesses(started);
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

    /** The node processes, in the order of the slot ranges they own. */
    public List<RedisServerProcess> servers() {
        return masters;
    }

    /** The node that owns {@code slot}. */
    public RedisServerProcess serverForSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("No such hash slot: " + slot);
        }
        return masters.get(slot * masters.size() / SLOTS);
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
    }

    private static RedisServerProcess startNode(RedisBinary binary) {
        return RedisServerProcess.builder()
                .binary(binary)
                .arguments(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000")
                .start();
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
        for (RedisServerProcess other : masters.subList(1, masters.size())) {
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
