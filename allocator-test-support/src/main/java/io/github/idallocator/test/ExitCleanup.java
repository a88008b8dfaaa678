package io.github.idallocator.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Removes what a test JVM leaves behind when it exits without closing its servers: kills the child processes still
 * alive, then deletes their directories.
 */
final class ExitCleanup {

    private static final long KILL_WAIT_MILLIS = 1000;
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::run, "redis-server-exit-cleanup"));
    }

    private ExitCleanup() {}

    /** Kills {@code process} at JVM exit if it is still alive then. */
    static void killAtExit(Process process) {
        PROCESSES.add(process);
        process.onExit().thenRun(() -> PROCESSES.remove(process));
    }

    /** Deletes {@code directory} at JVM exit unless {@link #deleteNow} deleted it before. */
    static void deleteAtExit(Path directory) {
        DIRECTORIES.add(directory);
    }

    /** Deletes {@code directory} and everything in it. */
    static void deleteNow(Path directory) {
        DIRECTORIES.remove(directory);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }

    private static void run() {
        PROCESSES.forEach(Process::destroyForcibly);
        PROCESSES.forEach(ExitCleanup::awaitExit);
        DIRECTORIES.forEach(ExitCleanup::deleteQuietly);
    }

    private static void awaitExit(Process process) {
        try {
            process.waitFor(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
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
