package io.github.idallocator.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code redis-server} executable.
 *
 * <p>{@link #detect()} takes the first of: the system property {@value #SYSTEM_PROPERTY}, the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, {@code redis-server} on the {@code PATH}, the executable shipped in the
 * embedded-redis jar. The property and the variable hold a path, or {@value #EMBEDDED} to force the embedded
 * executable; blank means not set.
 */
public final class RedisBinary {

    /** System property naming the executable to use. */
    public static final String SYSTEM_PROPERTY = "idallocator.redis.binary";

    /** Environment variable naming the executable to use, when the system property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "IDALLOCATOR_REDIS_BINARY";

    /** Setting value that forces the executable shipped in the embedded-redis jar. */
    public static final String EMBEDDED = "embedded";

    private static final String EXECUTABLE_NAME = "redis-server";
    private static final String EMBEDDED_ORIGIN = "the embedded-redis jar";
    private static final Pattern VERSION = Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)");
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private static RedisBinary detected;

    private final Path path;
    private final String origin;
    private String version;

    private RedisBinary(Path path, String origin) {
        this.path = path;
        this.origin = origin;
    }

    /** The executable chosen by the settings and the environment of this JVM; detected once and then reused. */
    public static synchronized RedisBinary detect() {
        if (detected == null) {
            detected = resolve(
                    System.getProperty(SYSTEM_PROPERTY), System.getenv(ENVIRONMENT_VARIABLE), System.getenv("PATH"));
        }
        return detected;
    }

    /** The executable shipped in the embedded-redis jar; fails if there is none for this OS and architecture. */
    public static RedisBinary embedded() {
        return new RedisBinary(EmbeddedRedisBinary.path(), EMBEDDED_ORIGIN);
    }

    /** Whether the embedded-redis jar ships an executable for this OS and architecture. */
    public static boolean embeddedAvailable() {
        return EmbeddedRedisBinary.resourceName().isPresent();
    }

    /** The executable at {@code executable}. */
    public static RedisBinary at(Path executable) {
        return fromPath(executable.toString(), "an explicit path");
    }

    static RedisBinary resolve(String systemProperty, String environmentVariable, String searchPath) {
        if (isSet(systemProperty)) {
            return fromSetting(systemProperty.strip(), "system property " + SYSTEM_PROPERTY);
        }
        if (isSet(environmentVariable)) {
            return fromSetting(environmentVariable.strip(), "environment variable " + ENVIRONMENT_VARIABLE);
        }
        return findOnSearchPath(searchPath)
                .map(found -> new RedisBinary(found, "PATH"))
                .orElseGet(RedisBinary::embedded);
    }

    /** Where the executable is. */
    public Path path() {
        return path;
    }

    /** The version reported by {@code redis-server --version}, such as {@code 7.0.15}. */
    public synchronized String version() {
        if (version == null) {
            version = readVersion();
        }
        return version;
    }

    /** A line for logs, such as {@code redis-server 7.0.15 from PATH (/usr/bin/redis-server)}. */
    public String describe() {
        return EXECUTABLE_NAME + " " + version() + " from " + origin + " (" + path + ")";
    }

    @Override
    public String toString() {
        return path + " from " + origin;
    }

    private static RedisBinary fromSetting(String value, String setting) {
        if (value.equalsIgnoreCase(EMBEDDED)) {
            return new RedisBinary(EmbeddedRedisBinary.path(), EMBEDDED_ORIGIN + ", as " + setting + " asks");
        }
        return fromPath(value, setting);
    }

    private static RedisBinary fromPath(String value, String origin) {
        Path candidate = Path.of(value);
        if (!isExecutableFile(candidate)) {
            throw new IllegalStateException(origin + " names " + value + ", which is not an executable file");
        }
        return new RedisBinary(candidate.toAbsolutePath(), origin);
    }

    private static Optional<Path> findOnSearchPath(String searchPath) {
        if (!isSet(searchPath)) {
            return Optional.empty();
        }
        for (String directory : searchPath.split(File.pathSeparator)) {
            Optional<Path> found = executableIn(directory);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executableIn(String directory) {
        if (directory.isBlank()) {
            return Optional.empty();
        }
        try {
            Path candidate = Path.of(directory, EXECUTABLE_NAME);
            return isExecutableFile(candidate) ? Optional.of(candidate) : Optional.empty();
        } catch (InvalidPathException malformedEntry) {
            return Optional.empty();
        }
    }

    private static boolean isExecutableFile(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private String readVersion() {
        String output = runVersionCommand();
        Matcher matcher = VERSION.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(path + " --version printed no version: " + output);
        }
        return matcher.group(1);
    }

    private String runVersionCommand() {
        try {
            Process process = new ProcessBuilder(path.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(path + " --version did not finish");
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + path + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + path + " --version", e);
        }
    }
}
