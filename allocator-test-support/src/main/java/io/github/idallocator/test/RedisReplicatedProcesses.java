package io.github.idallocator.test;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.launcher.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A real primary with one replica, for tests of what replicas confirm ({@code WAIT}). {@link #start()} returns once the
 * replica has acknowledged a write, so a first {@code WAIT} counts it. {@link #pauseReplica()} stops the replica's
 * process ({@code SIGSTOP}) so that it confirms nothing until {@link #resumeReplica()}.
 */
public final class RedisReplicatedProcesses implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final RedisServerProcess primary;
    private final RedisServerProcess replica;
    private boolean replicaPaused;

    private RedisReplicatedProcesses(RedisServerProcess primary, RedisServerProcess replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** Starts the primary and its replica and waits until the replica has acknowledged a write. */
    public static RedisReplicatedProcesses start() {
        // Redis 7 syncs a new replica only after repl-diskless-sync-delay (5 s by default).
        RedisServerProcess primary = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        RedisServerProcess replica = null;
        try {
            replica = RedisServerProcess.start("--replicaof", primary.host(), Integer.toString(primary.port()));
            RedisReplicatedProcesses pair = new RedisReplicatedProcesses(primary, replica);
            // Right after a sync, Redis 7 may answer a first WAIT with 0 until the replica acknowledged a write (it
            // does so once a second).
            primary.command("SET", "replica-ready", "1");
            if (!Waiting.until(READY_TIMEOUT, pair::replicaCaughtUp)) {
                throw new IllegalStateException("The replica " + replica.address() + " did not acknowledge a write "
                        + "within " + READY_TIMEOUT + ": " + primary.command("INFO", "replication"));
            }
            return pair;
        } catch (RuntimeException e) {
            if (replica != null) {
                replica.close();
            }
            primary.close();
            throw e;
        }
    }

    /** The primary. */
    public RedisServerProcess primary() {
        return primary;
    }

    /** The replica. */
    public RedisServerProcess replica() {
        return replica;
    }

    /** Whether the replica has acknowledged everything the primary has written so far. */
    public boolean replicaCaughtUp() {
        return primary.replicaCaughtUp();
    }

    /** Stops the replica's process ({@code SIGSTOP}): it confirms nothing until {@link #resumeReplica()}. */
    public synchronized void pauseReplica() {
        signal("STOP");
        replicaPaused = true;
    }

    /** Lets a paused replica run again ({@code SIGCONT}); nothing happens when it is not paused. */
    public synchronized void resumeReplica() {
        if (replicaPaused) {
            signal("CONT");
            replicaPaused = false;
        }
    }

    /** Resumes a paused replica, then stops both servers and deletes their directories. */
    @Override
    public void close() {
        try {
            resumeReplica();
            replica.close();
        } finally {
            primary.close();
        }
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(replica.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + replica.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send SIG" + signal + " to the replica", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling the replica", e);
        }
    }
}
