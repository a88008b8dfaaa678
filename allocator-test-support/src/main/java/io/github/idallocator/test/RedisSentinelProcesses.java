package io.github.idallocator.test;

import io.github.idallocator.launcher.RedisBinary;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.RespErrorException;
import io.github.idallocator.launcher.Waiting;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real master, a replica of it and a Sentinel monitoring the master under {@value #MASTER_NAME} with a quorum of
 * one. {@link #start()} returns once the replica is in sync and the Sentinel knows both of them.
 *
 * <p>{@link #master()} and {@link #replica()} name the roles at start; after a failover they are swapped. {@link
 * #currentPrimary()} asks the Sentinel. Faults: {@link #failover()} ({@code SENTINEL FAILOVER}, the old primary stays
 * up and is demoted by the Sentinel later) and {@link #killPrimary()} (SIGKILL; the Sentinel promotes the replica after
 * {@value #DOWN_AFTER_MILLIS} ms without an answer). Clients follow a failover by asking the Sentinel at {@link
 * #sentinelHost()}:{@link #sentinelPort()} for {@link #masterName()}; the Sentinel disconnects the clients of a primary it
 * demotes, so they ask again.
 */
public final class RedisSentinelProcesses implements AutoCloseable {

    /** The name the Sentinel monitors the master under. */
    public static final String MASTER_NAME = "mymaster";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(50);

    /** How long the Sentinel waits without an answer before it considers the primary down. */
    public static final int DOWN_AFTER_MILLIS = 1000;

    /** The Sentinel's failover timeout. */
    public static final int FAILOVER_TIMEOUT_MILLIS = 3000;

    /** How long {@link #failover()} and {@link #killPrimary()} wait for the replica to be promoted. */
    private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long {@link #awaitReplicaInSync} waits: the Sentinel demotes an old primary that still runs only after it saw it
     * report itself primary for a while (about 15 s on an idle machine), and a busy machine slows every step.
     */
    private static final Duration DEMOTION_TIMEOUT = Duration.ofSeconds(60);

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

    /** The server the Sentinel names as primary now (the one that was master at start, or the replica after a failover). */
    public RedisServerProcess currentPrimary() {
        Object address = sentinel.command("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        for (RedisServerProcess server : List.of(master, replica)) {
            if (List.of(server.host(), Integer.toString(server.port())).equals(address)) {
                return server;
            }
        }
        throw new IllegalStateException("The Sentinel names " + address + " as primary, neither " + master.address()
                + " nor " + replica.address());
    }

    /** The server that is not {@link #currentPrimary()}. */
    public RedisServerProcess currentReplica() {
        return currentPrimary() == master ? replica : master;
    }

    /**
     * {@code SENTINEL FAILOVER}: the Sentinel promotes the replica while the old primary keeps running (it is demoted to a
     * replica of the new one later, and its clients are disconnected then). Returns the new primary once it answers as
     * master and the Sentinel names it.
     */
    public RedisServerProcess failover() {
        RedisServerProcess oldPrimary = currentPrimary();
        RedisServerProcess promoted = oldPrimary == master ? replica : master;
        awaitReady("the replica " + promoted.address() + " to be in sync before the failover", promoted, node -> {
            return isInSync(node);
        });
        // Right after start-up the Sentinel may not have judged the replica yet (NOGOODSLAVE): ask again.
        awaitReady("the Sentinel to accept SENTINEL FAILOVER", sentinel, node -> {
            try {
                node.command("SENTINEL", "FAILOVER", MASTER_NAME);
                return true;
            } catch (RespErrorException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOGOODSLAVE")) {
                    return false;
                }
                throw e;
            }
        });
        awaitPromotion(promoted);
        return promoted;
    }

    /**
     * Kills the primary with SIGKILL and waits until the Sentinel promoted the replica (about {@value
     * #DOWN_AFTER_MILLIS} ms plus the election). Returns the new primary; the killed one stays down until its {@link
     * RedisServerProcess#restart()}, after which the Sentinel makes it a replica of the new primary (see {@link
     * #awaitReplicaInSync(RedisServerProcess)}).
     */
    public RedisServerProcess killPrimary() {
        RedisServerProcess oldPrimary = currentPrimary();
        RedisServerProcess promoted = oldPrimary == master ? replica : master;
        oldPrimary.kill();
        awaitPromotion(promoted);
        return promoted;
    }

    /**
     * Restarts {@code server} (after {@link #killPrimary()}), makes it a replica of the current primary at once, rather
     * than waiting for the Sentinel to notice it, and waits until it is in sync. Without persistence it comes back empty
     * and takes a full copy.
     */
    public void restartAsReplica(RedisServerProcess server) {
        RedisServerProcess primary = currentPrimary();
        if (primary == server) {
            throw new IllegalStateException(server.address() + " is the primary");
        }
        server.restart();
        String primaryPort = Integer.toString(primary.port());
        server.command("REPLICAOF", primary.host(), primaryPort);
        // Anything else that reconfigures it meanwhile (a Sentinel with an old view) is overruled.
        boolean synced = Waiting.until(DEMOTION_TIMEOUT, READY_POLL_INTERVAL, () -> {
            try {
                String replication = String.valueOf(server.command("INFO", "replication"));
                if (!replication.contains("master_port:" + primaryPort + "\r")) {
                    server.command("REPLICAOF", primary.host(), primaryPort);
                    return false;
                }
                return replication.contains("master_link_status:up");
            } catch (UncheckedIOException | RespErrorException notYet) {
                return false;
            }
        });
        if (!synced) {
            throw new IllegalStateException("Gave up waiting for " + server.address() + " to sync with the primary "
                    + primary.address() + " after " + DEMOTION_TIMEOUT + ":\n" + describe(server) + "\n"
                    + describe(primary));
        }
    }

    private static String describe(RedisServerProcess server) {
        try {
            return server.address() + " " + server.command("INFO", "replication") + server.logTail();
        } catch (RuntimeException e) {
            return server.address() + " " + e + server.logTail();
        }
    }

    /** Waits until {@code server} is a replica with its link to the primary up (after a restart or a demotion). */
    public void awaitReplicaInSync(RedisServerProcess server) {
        boolean synced = Waiting.until(DEMOTION_TIMEOUT, READY_POLL_INTERVAL, () -> {
            try {
                String replication = String.valueOf(server.command("INFO", "replication"));
                return replication.contains("role:slave") && replication.contains("master_link_status:up");
            } catch (UncheckedIOException | RespErrorException notYet) {
                return false;
            }
        });
        if (!synced) {
            throw new IllegalStateException(
                    "Gave up waiting for " + server.address() + " to be an in-sync replica after " + DEMOTION_TIMEOUT);
        }
    }

    /** Stops the Sentinel, the replica and the master, and deletes their directories. */
    @Override
    public void close() {
        closeAll(sentinel, replica, master);
    }

    private void awaitPromotion(RedisServerProcess promoted) {
        boolean done = Waiting.until(PROMOTION_TIMEOUT, READY_POLL_INTERVAL, () -> {
            try {
                return currentPrimary() == promoted
                        && String.valueOf(promoted.command("INFO", "replication"))
                                .contains("role:master");
            } catch (UncheckedIOException | RespErrorException | IllegalStateException notYet) {
                return false;
            }
        });
        if (!done) {
            throw new IllegalStateException(
                    "The Sentinel did not promote " + promoted.address() + " within " + PROMOTION_TIMEOUT);
        }
    }

    private static String sentinelConfig(RedisServerProcess master) {
        return String.join(
                "\n",
                "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
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
