package io.github.idallocator.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Removes what a JVM leaves behind when it exits without closing its child processes: kills the ones still alive, then
 * deletes their directories. A process registered with a grace period is first given that long to end, so that its
 * owner can still stop it cleanly from another shutdown hook (an application context closing on SIGTERM, for example).
 */
public final class ExitCleanup {

    private static final long KILL_WAIT_MILLIS = 1000;
    private static final Map<Process, Duration> PROCESSES = new ConcurrentHashMap<>();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::run, "redis-server-exit-cleanup"));
    }

    private ExitCleanup() {}

    /** Kills {@code process} at JVM exit if it is still alive then. */
    public static void killAtExit(Process process) {
        killAtExit(process, Duration.ZERO);
    }

    /** Kills {@code process} at JVM exit if it is still alive {@code grace} after the exit began. */
    public static void killAtExit(Process process, Duration grace) {
        PROCESSES.put(process, grace);
        process.onExit().thenRun(() -> PROCESSES.remove(process));
    }

    /** Deletes {@code directory} at JVM exit unless {@link #deleteNow} deleted it before. */
    public static void deleteAtExit(Path directory) {
        DIRECTORIES.add(directory);
    }

    /** Deletes {@code directory} and everything in it; a directory already gone is not an error. */
    public static void deleteNow(Path directory) {
        DIRECTORIES.remove(directory);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException deletedMeanwhile) {
            // Deleted by someone else at the same time (the exit hook and the owner's close): nothing is left.
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }

    private static void run() {
        long exitStart = System.nanoTime();
        PROCESSES.forEach((process, grace) -> awaitExit(process, grace.toNanos() - (System.nanoTime() - exitStart)));
        PROCESSES.keySet().forEach(Process::destroyForcibly);
        PROCESSES.keySet().forEach(process -> awaitExit(process, TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS)));
        DIRECTORIES.forEach(ExitCleanup::deleteQuietly);
    }

    private static void awaitExit(Process process, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            process.waitFor(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            deleteNow(directory);
        } catch (UncheckedIOException leftForTheOperatingSystem) {
            // The JVM is exiting; a leftover temporary directory is harmless.
        }
    }
}
