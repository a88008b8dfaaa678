package io.github.idallocator.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** What the figures were measured on: processor, memory, operating system and JDK, read from the running machine. */
public final class MachineDescription {

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private MachineDescription() {}

    /** One line per fact. */
    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("cores available to the JVM: " + Runtime.getRuntime().availableProcessors());
        lines.add("processor: " + processorModel());
        lines.add(String.format(Locale.ROOT, "memory: %.1f GiB", totalMemoryBytes() / (double) (1L << 30)));
        lines.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        lines.add("jdk: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        return lines;
    }

    private static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String processorModel() {
        if (!Files.isReadable(CPU_INFO)) {
            return System.getProperty("os.arch");
        }
        try (Stream<String> lines = Files.lines(CPU_INFO)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }
}
