package io.github.idallocator.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Who used the processors during a measurement window: this JVM (client), the benchmark's redis-server, and every other
 * process on the machine. Client and server share the machine's cores, and other work on it slows both, so each
 * benchmark iteration prints this beside its score. Linux only (it reads {@code /proc}); elsewhere it reports nothing.
 */
final class CpuShares {

    private static final Path STAT = Path.of("/proc/stat");

    private final long serverPid;
    private final long startNanos;
    private final long startTotalTicks;
    private final long startBusyTicks;
    private final long startServerTicks;
    private final long startOwnCpuNanos;

    private CpuShares(long serverPid) {
        this.serverPid = serverPid;
        this.startNanos = System.nanoTime();
        long[] machine = machineTicks();
        this.startTotalTicks = machine[0];
        this.startBusyTicks = machine[1];
        this.startServerTicks = processTicks(serverPid);
        this.startOwnCpuNanos = ownCpuNanos();
    }

    /** Opens a window that {@link #report()} closes. */
    static CpuShares start(long serverPid) {
        return new CpuShares(serverPid);
    }

    /** The average number of cores each party kept busy since {@link #start(long)}. */
    String report() {
        long[] machine = machineTicks();
        long serverTicks = processTicks(serverPid);
        if (machine[0] < 0 || serverTicks < 0 || startTotalTicks < 0 || startServerTicks < 0) {
            return "CPU shares: not available on this system";
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double ticksPerCoreSecond = (machine[0] - startTotalTicks) / (seconds * cores);
        double busy = (machine[1] - startBusyTicks) / ticksPerCoreSecond / seconds;
        double server = (serverTicks - startServerTicks) / ticksPerCoreSecond / seconds;
        double client = (ownCpuNanos() - startOwnCpuNanos) / 1e9 / seconds;
        double others = Math.max(0, busy - server - client);
        return String.format(
                Locale.ROOT,
                "CPU shares (cores busy of %d): benchmark JVM %.2f, redis-server %.2f, other processes %.2f",
                cores,
                client,
                server,
                others);
    }

    /** Total and busy ticks of all cores (first line of /proc/stat), or -1s. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy + idle + iowait, busy};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** User plus system ticks of a process (fields 14 and 15 of /proc/pid/stat), or -1. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
