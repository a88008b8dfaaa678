package io.github.idallocator.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code redis-server} child process listening on a free port of {@value #HOST}, with a temporary directory of
 * its own.
 *
 * <p>Persistence is off by default ({@code --save "" --appendonly no}), so a restarted server comes back empty. With
 * {@link Builder#appendOnly()} every write is in the append-only file before it is acknowledged ({@code --appendonly yes
 * --appendfsync always}), so {@link #restart()} (also after {@link #kill()}) comes back with every acknowledged write,
 * and {@link #restartEmpty()} deletes the data files first. Processes still alive when the JVM exits are killed by a
 * shutdown hook, at once or after {@link Builder#exitGrace(Duration)}.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** The address every server binds to. */
    public static final String HOST = "127.0.0.1";

    private static final Pattern WRITTEN_OFFSET = Pattern.compile("master_repl_offset:(\\d+)");
    private static final Pattern ACKNOWLEDGED_OFFSET = Pattern.compile("slave0:.*state=online,offset=(\\d+)");

    private static final int PORT_ATTEMPTS = 5;
    private static final Duration RESTART_PORT_WAIT = Duration.ofSeconds(5);
    private static final Duration RESTART_RETRY_INTERVAL = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern PROCESS_ID = Pattern.compile("process_id:(\\d+)");
    private static final String PORT_IN_USE = "Address already in use";
    private static final int LOG_TAIL_LINES = 30;

    private final RedisBinary binary;
    private final List<String> arguments;
    private final Path configFile;
    private final boolean clusterEnabled;
    private final boolean appendOnly;
    private final Duration startupTimeout;
    private final Duration exitGrace;
    private final Path directory;
    private final ServerLogs logs;
    private volatile int port;
    private volatile Process process;
    private boolean closed;

    private RedisServerProcess(Builder builder, Path directory) {
        this.binary = builder.binary != null ? builder.binary : RedisBinary.detect();
        this.arguments = List.copyOf(builder.arguments);
        this.configFile = builder.configFileName == null ? null : directory.resolve(builder.configFileName);
        this.clusterEnabled = builder.clusterEnabled();
        this.appendOnly = builder.appendOnly;
        this.startupTimeout = builder.startupTimeout;
        this.exitGrace = builder.exitGrace;
        this.directory = directory;
        this.logs = new ServerLogs(directory);
    }

    /** Starts a server with the detected binary and the default arguments. */
    public static RedisServerProcess start() {
        return builder().start();
    }

    /** Starts a server with the detected binary and extra arguments, such as {@code "--maxmemory", "10mb"}. */
    public static RedisServerProcess start(String... extraArguments) {
        return builder().arguments(extraArguments).start();
    }

    /** A builder for a server with a chosen binary, extra arguments or a configuration file. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the server listens on: {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The port the server listens on; it stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code host:port}. */
    public String address() {
        return HOST + ":" + port();
    }

    /** The version of the binary this server runs. */
    public String version() {
        return binary.version();
    }

    /** The binary this server runs. */
    public RedisBinary binary() {
        return binary;
    }

    /**
     * The operating-system process id of the running server, for signals such as {@code kill -STOP}; it changes with
     * {@link #restart()}.
     *
     * @throws IllegalStateException if the server is not running
     */
    public long pid() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return current.pid();
    }

    /** Whether the process is alive. */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * Sends one command on a fresh connection (so {@code WAIT} sent this way counts no write) and returns the reply: {@link String} for simple and bulk strings,
     * {@link Long} for integers, {@link List} for arrays, {@code null} for null replies.
     *
     * @throws RespErrorException if the server answers with an error
     * @throws UncheckedIOException if the server cannot be reached or closes the connection
     */
    public Object command(String... command) {
        try (RespClient client = RespClient.connect(HOST, port(), RespClient.DEFAULT_TIMEOUT)) {
            return client.call(command);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "redis-server on " + address() + " did not answer " + String.join(" ", command), e);
        }
    }

    /**
     * Whether this server, as a primary, has every replica's acknowledgement of everything written so far (its {@code
     * master_repl_offset} reached by the first replica's acknowledged offset); false without an online replica.
     */
    public boolean replicaCaughtUp() {
        String info = String.valueOf(command("INFO", "replication"));
        Matcher written = WRITTEN_OFFSET.matcher(info);
        Matcher acknowledged = ACKNOWLEDGED_OFFSET.matcher(info);
        return written.find()
                && acknowledged.find()
                && Long.parseLong(acknowledged.group(1)) >= Long.parseLong(written.group(1));
    }

    /** Deletes every key in every database. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /** Whether writes are persisted in the append-only file ({@link Builder#appendOnly()}). */
    public boolean isAppendOnly() {
        return appendOnly;
    }

    /** The server's own directory (data files, logs); deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** Kills the process with SIGKILL and waits until it is gone. */
    public synchronized void kill() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        if (!hasExited(current, KILL_TIMEOUT)) {
            throw new IllegalStateException("redis-server on port " + port + " survived SIGKILL for " + KILL_TIMEOUT);
        }
    }

    /** Pauses the server with {@code SIGSTOP}: it keeps its connections but answers nothing until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a server paused by {@link #pause()} run again with {@code SIGCONT}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send SIG" + signal + " to redis-server " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal, e);
        }
    }

    /** Shuts the server down with {@code SHUTDOWN NOSAVE}, killing it if that does not work. */
    public synchronized void stop() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        try {
            command("SHUTDOWN", "NOSAVE");
        } catch (UncheckedIOException connectionClosedByShutdown) {
            // A successful SHUTDOWN closes the connection without a reply.
        } catch (RespErrorException refused) {
            kill();
            return;
        }
        if (!hasExited(current, SHUTDOWN_TIMEOUT)) {
            kill();
        }
    }

    /**
     * Stops the server if it is running and starts it again on the same port, with the same arguments and directory.
     * Without persistence it comes back empty; with {@link Builder#appendOnly()} it replays its append-only file (use
     * {@link #kill()} first to restart from the file after a crash). Waits a few seconds for the port if something else
     * still holds it.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("redis-server on port " + port + " is closed");
        }
        stop();
        if (!Waiting.until(RESTART_PORT_WAIT, RESTART_RETRY_INTERVAL, this::launch)) {
            throw new IllegalStateException(
                    "Port " + port + " stayed in use for " + RESTART_PORT_WAIT + logs.tailSinceMark(LOG_TAIL_LINES));
        }
    }

    /**
     * Kills the server (SIGKILL, so nothing is saved on the way down), deletes its data files and starts it again on the
     * same port: it comes back without any key, whatever the persistence setting.
     */
    public synchronized void restartEmpty() {
        if (closed) {
            throw new IllegalStateException("redis-server on port " + port + " is closed");
        }
        kill();
        deleteDataFiles();
        if (!Waiting.until(RESTART_PORT_WAIT, RESTART_RETRY_INTERVAL, this::launch)) {
            throw new IllegalStateException(
                    "Port " + port + " stayed in use for " + RESTART_PORT_WAIT + logs.tailSinceMark(LOG_TAIL_LINES));
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        ExitCleanup.deleteNow(directory);
    }

    /** The last lines of the server's log and console output since its last (re)start, for a failure message. */
    public String logTail() {
        return logs.tailSinceMark(LOG_TAIL_LINES);
    }

    @Override
    public String toString() {
        return "redis-server on " + address() + (isRunning() ? "" : " (not running)");
    }

    private void deleteDataFiles() {
        try (var entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith("appendonly") || name.endsWith(".rdb") || name.endsWith(".aof")) {
                    if (Files.isDirectory(entry)) {
                        ExitCleanup.deleteNow(entry);
                    } else {
                        Files.deleteIfExists(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the data files in " + directory, e);
        }
    }

    private static RedisServerProcess startWith(Builder builder) {
        RedisServerProcess server = new RedisServerProcess(builder, createDirectory());
        try {
            server.writeConfigFile(builder.configFileContent);
            server.startOnFreePort();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void writeConfigFile(String content) {
        if (configFile == null) {
            return;
        }
        try {
            Files.writeString(configFile, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + configFile, e);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            port = FreePorts.find(clusterEnabled);
            if (launch()) {
                return;
            }
        }
        throw new IllegalStateException("redis-server lost the race for a free port " + PORT_ATTEMPTS + " times"
                + logs.tailSinceMark(LOG_TAIL_LINES));
    }

    /**
     * Runs redis-server on {@link #port} and waits until it answers. Returns {@code false} if the port was taken;
     * throws if the server failed for another reason.
     */
    private boolean launch() {
        logs.mark();
        Process started = spawn();
        boolean settled = Waiting.until(startupTimeout, () -> !started.isAlive() || isServedBy(started));
        if (started.isAlive()) {
            if (settled) {
                return true;
            }
            started.destroyForcibly();
            hasExited(started, KILL_TIMEOUT);
            throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                    + startupTimeout + logs.tailSinceMark(LOG_TAIL_LINES));
        }
        if (logs.containsSinceMark(PORT_IN_USE)) {
            return false;
        }
        throw new IllegalStateException("redis-server exited with code " + started.exitValue()
                + " while starting on port " + port + logs.tailSinceMark(LOG_TAIL_LINES));
    }

    private Process spawn() {
        try {
            Process started = new ProcessBuilder(commandLine())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logs.consoleFile().toFile()))
                    .start();
            ExitCleanup.killAtExit(started, exitGrace);
            started.getOutputStream().close();
            process = started;
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + binary.path(), e);
        }
    }

    private List<String> commandLine() {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(binary.path().toString());
        if (configFile != null) {
            commandLine.add(configFile.toString());
        }
        commandLine.addAll(List.of("--port", Integer.toString(port)));
        commandLine.addAll(List.of("--bind", HOST));
        commandLine.addAll(List.of("--save", ""));
        if (appendOnly) {
            commandLine.addAll(List.of("--appendonly", "yes"));
            commandLine.addAll(List.of("--appendfsync", "always"));
        } else {
            commandLine.addAll(List.of("--appendonly", "no"));
        }
        commandLine.addAll(List.of("--dir", directory.toString()));
        commandLine.addAll(List.of("--protected-mode", "no"));
        commandLine.addAll(List.of("--logfile", logs.logFile().toString()));
        commandLine.addAll(arguments);
        return commandLine;
    }

    /** Whether {@code candidate} answers PING on the port, rather than some other process that holds it. */
    private boolean isServedBy(Process candidate) {
        try (RespClient client = RespClient.connect(HOST, port, PROBE_TIMEOUT)) {
            if (!"PONG".equals(client.call("PING"))) {
                return false;
            }
            Matcher processId = PROCESS_ID.matcher(String.valueOf(client.call("INFO", "server")));
            return processId.find() && Long.parseLong(processId.group(1)) == candidate.pid();
        } catch (IOException | RespErrorException notReadyYet) {
            return false;
        }
    }

    private static boolean hasExited(Process candidate, Duration timeout) {
        try {
            return candidate.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server to exit", e);
        }
    }

    private static Path createDirectory() {
        try {
            Path directory = Files.createTempDirectory("idallocator-redis-");
            ExitCleanup.deleteAtExit(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for redis-server", e);
        }
    }

    /** Chooses the binary, extra arguments and configuration file of a server before starting it. */
    public static final class Builder {

        private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);

        private RedisBinary binary;
        private final List<String> arguments = new ArrayList<>();
        private String configFileName;
        private String configFileContent;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration exitGrace = Duration.ZERO;
        private boolean appendOnly;

        private Builder() {}

        /**
         * Persists every write before acknowledging it ({@code --appendonly yes --appendfsync always}), so a restart,
         * even after {@link RedisServerProcess#kill()}, comes back with every acknowledged write.
         */
        public Builder appendOnly() {
            this.appendOnly = true;
            return this;
        }

        /** The binary to run; {@link RedisBinary#detect()} if not set. */
        public Builder binary(RedisBinary binary) {
            this.binary = binary;
            return this;
        }

        /**
         * Appends arguments after the default ones, one token each: {@code "--cluster-enabled", "yes"}. A relative
         * file name, such as a cluster config file, lands in the server's own directory.
         */
        public Builder arguments(String... arguments) {
            this.arguments.addAll(List.of(arguments));
            return this;
        }

        /**
         * Writes {@code content} to {@code fileName} in the server's own directory and passes that file as the
         * configuration file. The server may rewrite it, as Sentinel does; it is kept across {@link #restart()}.
         */
        public Builder configFile(String fileName, String content) {
            this.configFileName = fileName;
            this.configFileContent = content;
            return this;
        }

        /** How long to wait for the first PONG; 10 seconds if not set. */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * How long the server may outlive the start of a JVM exit before the exit hook kills it; zero (the default) kills
         * it at once. An application that {@link RedisServerProcess#close() closes} the server in its own shutdown, after
         * its last command (releasing leases, say), sets this so that the server is still there for that command.
         */
        public Builder exitGrace(Duration exitGrace) {
            this.exitGrace = exitGrace;
            return this;
        }

        /** Starts the server on a free port and waits until it answers PING. */
        public RedisServerProcess start() {
            return startWith(this);
        }

        private boolean clusterEnabled() {
            int flag = arguments.indexOf("--cluster-enabled");
            return flag >= 0
                    && flag + 1 < arguments.size()
                    && arguments.get(flag + 1).equalsIgnoreCase("yes");
        }
    }
}
