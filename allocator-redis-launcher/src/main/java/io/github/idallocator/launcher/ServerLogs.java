package io.github.idallocator.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The two files a redis-server process writes to: its log file and its console output (early errors such as a bad
 * configuration are printed there before the log file is opened). Reads what was written since the last {@link #mark()}.
 */
final class ServerLogs {

    private final Path logFile;
    private final Path consoleFile;
    private long logFileMark;
    private long consoleFileMark;

    ServerLogs(Path directory) {
        this.logFile = directory.resolve("redis.log");
        this.consoleFile = directory.resolve("console.log");
    }

    Path logFile() {
        return logFile;
    }

    Path consoleFile() {
        return consoleFile;
    }

    /** Remembers the current end of both files, so later reads see only what comes after. */
    void mark() {
        logFileMark = size(logFile);
        consoleFileMark = size(consoleFile);
    }

    boolean containsSinceMark(String text) {
        return readFrom(consoleFile, consoleFileMark).contains(text)
                || readFrom(logFile, logFileMark).contains(text);
    }

    /** The last {@code lines} lines of each file written since the mark, formatted for an exception message. */
    String tailSinceMark(int lines) {
        return "\n--- " + consoleFile + " ---\n" + tail(readFrom(consoleFile, consoleFileMark), lines) + "\n--- "
                + logFile + " ---\n" + tail(readFrom(logFile, logFileMark), lines);
    }

    private static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String readFrom(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int start = (int) Math.min(offset, bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of " + file, e);
        }
    }
}
