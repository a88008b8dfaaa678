package io.github.idallocator.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real master, a replica of it and a Sentinel monitoring the master under {@value #MASTER_NAME} with a quorum of
 * one. {@link #start()} returns once the replica is in sync and the Sentinel knows both of them.
 *
 * <p>{@link #master()} and {@link #replica()} name the roles at start; after a failover they are swapped.
 */
public final class RedisSentinelProcesses implements AutoCloseable {

    /** The name the Sentinel monitors the master under. */
    public static final String MASTER_NAME = "mymaster";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(50);

    private final RedisServerProcess master;
    private final RedisServerProcess replica;
    private final RedisServerProcess sentinel;

    private RedisSentinelProcesses(RedisServerProcess master, RedisServerProcess replica, RedisServerProcess sentinel) {
        this.master = master;
        this.replica = replica;
        this.sentinel = sentinel;
    }

    /** Starts master, replica and Sentinel with the detected binary. */
    public static RedisSentinelProcesses start() {
        return start(RedisBinary.detect());
    }

    /** Starts master, replica and Sentinel running {@code binary}. */
    public static RedisSentinelProcesses start(RedisBinary binary) {
        RedisServerProcess master = RedisServerProcess.builder()
                .binary(binary)
                // Redis 7 otherwise waits 5 seconds before the replica's first (diskless) sync.
                .arguments("--repl-diskless-sync-delay", "0")
                .start();
        RedisServerProcess replica = null;
        RedisServerProcess sentinel = null;
        try {
            replica = RedisServerProcess.builder()
                    .binary(binary)
                    .arguments("--replicaof", master.host(), Integer.toString(master.port()))
                    .start();
            awaitReady("the replica to sync with the master", replica, RedisSentinelProcesses::isInSync);
            sentinel = RedisServerProcess.builder()
                    .binary(binary)
                    .configFile("sentinel.conf", sentinelConfig(master))
                    .arguments("--sentinel")
                    .start();
            awaitReady("the Sentinel to report the master and its replica", sentinel, node -> knowsSetup(node, master));
            return new RedisSentinelProcesses(master, replica, sentinel);
        } catch (RuntimeException e) {
            closeAll(sentinel, replica, master);
            throw e;
        }
    }

    /** The name the Sentinel monitors the master under: {@value #MASTER_NAME}. */
    public String masterName() {
        return MASTER_NAME;
    }

    /** The address the Sentinel listens on. */
    public String sentinelHost() {
        return sentinel.host();
    }

    /** The port the Sentinel listens on. */
    public int sentinelPort() {
        return sentinel.port();
    }

    /** The server that was the master at start. */
    public RedisServerProcess master() {
        return master;
    }

    /** The server that was the replica at start. */
    public RedisServerProcess replica() {
        return replica;
    }

    /** The Sentinel process. */
    public RedisServerProcess sentinel() {
        return sentinel;
    }

    /** Stops the Sentinel, the replica and the master, and deletes their directories. */
    @Override
    public void close() {
        closeAll(sentinel, replica, master);
    }

    private static String sentinelConfig(RedisServerProcess master) {
        return String.join(
                "\n",
                "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 3000",
                "");
    }

    private static boolean isInSync(RedisServerProcess replica) {
        return String.valueOf(replica.command("INFO", "replication")).contains("master_link_status:up");
    }

    private static boolean knowsSetup(RedisServerProcess sentinel, RedisServerProcess master) {
        Object address = sentinel.command("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        Object replicas = sentinel.command("SENTINEL", "replicas", MASTER_NAME);
        return List.of(master.host(), Integer.toString(master.port())).equals(address)
                && replicas instanceof List<?> known
                && !known.isEmpty();
    }

    private static void awaitReady(String what, RedisServerProcess server, Predicate<RedisServerProcess> check) {
        boolean ready = Waiting.until(READY_TIMEOUT, READY_POLL_INTERVAL, () -> {
            try {
                return check.test(server);
            } catch (UncheckedIOException | RespErrorException notYet) {
                return false;
            }
        });
        if (!ready) {
            throw new IllegalStateException("Gave up waiting for " + what + " after " + READY_TIMEOUT);
        }
    }

    private static void closeAll(RedisServerProcess... servers) {
        for (RedisServerProcess server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }
}
