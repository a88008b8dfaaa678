package io.github.idallocator.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Kills every tracked child process that is still alive when the JVM shuts down. */
final class ProcessReaper {

    private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "redis-server-reaper"));
    }

    private ProcessReaper() {}

    /** Tracks {@code process} until it exits. */
    static void track(Process process) {
        ALIVE.add(process);
        process.onExit().thenRun(() -> ALIVE.remove(process));
    }

    private static void killAll() {
        ALIVE.forEach(Process::destroyForcibly);
    }
}
