package io.github.idallocator.test;

import io.github.idallocator.launcher.ExitCleanup;
import io.github.idallocator.launcher.Waiting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A worker JVM started from a test: {@code java -cp <this JVM's class path> <main class> args...}, with the same
 * {@code java} binary as this JVM, standard output and error in files of its own directory, and its standard input as a
 * control channel (one command per line, see {@link WorkerControl} on the worker's side).
 *
 * <p>Faults: {@link #kill9()} (SIGKILL), {@link #pause()} (SIGSTOP) and {@link #resume()} (SIGCONT). A worker still
 * alive when {@link #close()} runs, or when this JVM exits, is killed; a worker whose parent died sees its standard
 * input end and stops by itself.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final int OUTPUT_TAIL_LINES = 40;

    private final String name;
    private final Path directory;
    private final Process process;
    private final OutputStream control;
    private int commandsSent;
    private volatile boolean paused;
    private volatile boolean killed;

    private WorkerProcess(String name, Path directory, Process process) {
        this.name = name;
        this.directory = directory;
        this.process = process;
        this.control = process.getOutputStream();
    }

    /** A builder for a worker running {@code mainClass} (a class on this JVM's class path with a {@code main}). */
    public static Builder builder(String name, Class<?> mainClass) {
        return new Builder(name, mainClass.getName());
    }

    /** The worker's name (also the name of its directory). */
    public String name() {
        return name;
    }

    /** The directory holding {@code stdout.log}, {@code stderr.log} and whatever the worker writes there. */
    public Path directory() {
        return directory;
    }

    /** The worker's standard output. */
    public Path stdout() {
        return directory.resolve("stdout.log");
    }

    /** The worker's standard error. */
    public Path stderr() {
        return directory.resolve("stderr.log");
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is alive (a paused process is alive). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@link #pause()} stopped it and {@link #resume()} has not continued it yet. */
    public boolean isPaused() {
        return paused;
    }

    /** Kills the worker with SIGKILL (also when paused) and waits until it is gone. */
    public void kill9() {
        killed = true;
        process.destroyForcibly();
        awaitExit(DEFAULT_TIMEOUT);
        paused = false;
    }

    /** Whether {@link #kill9()} killed it. */
    public boolean wasKilled() {
        return killed;
    }

    /**
     * Whether the worker ended by itself with an exit code other than 0, or printed an uncaught exception: a worker that
     * failed rather than one the test stopped or killed.
     */
    public boolean hasFailed() {
        boolean badExit = !process.isAlive() && !killed && process.exitValue() != 0;
        return badExit || readLines(stderr()).stream().anyMatch(line -> line.startsWith("Exception in thread"));
    }

    /**
     * Stops every thread of the worker with SIGSTOP, where it stands; returns once the operating system reports it
     * stopped (on Linux, from {@code /proc}), so nothing sent afterwards is handled before {@link #resume()}.
     */
    public void pause() {
        signal("STOP");
        paused = true;
        awaitState(true, "stopped");
    }

    /** Continues a paused worker with SIGCONT; returns once it runs again (on Linux, from {@code /proc}). */
    public void resume() {
        signal("CONT");
        paused = false;
        awaitState(false, "running");
    }

    /**
     * Whether the operating system reports the process stopped by a signal ({@code T} in {@code /proc/<pid>/stat});
     * false where there is no {@code /proc}.
     */
    public boolean isStoppedBySignal() {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException noProc) {
            return false;
        }
    }

    private void awaitState(boolean stopped, String what) {
        if (!Files.exists(Path.of("/proc", Long.toString(process.pid())))) {
            return;
        }
        if (!Waiting.until(DEFAULT_TIMEOUT, Duration.ofMillis(1), () -> isStoppedBySignal() == stopped)) {
            throw new IllegalStateException(
                    "Worker " + name + " is not " + what + " " + DEFAULT_TIMEOUT + " after the signal" + outputTail());
        }
    }

    /**
     * Sends one command line and waits until the worker confirms it handled it ({@code DONE <n> ...}, where {@code n}
     * counts the commands sent to this worker). Returns the confirmation line.
     */
    public synchronized String command(String line, Duration timeout) {
        send(line);
        String done = "DONE " + commandsSent + " ";
        String failed = "FAILED " + commandsSent + " ";
        String answer = awaitOutput(output -> output.startsWith(done) || output.startsWith(failed), timeout);
        if (answer.startsWith(failed)) {
            throw new IllegalStateException("Worker " + name + " could not run '" + line + "': " + answer);
        }
        return answer;
    }

    /** Sends one command line without waiting for its confirmation. */
    public synchronized void send(String line) {
        if (line.contains("\n")) {
            throw new IllegalArgumentException("A command is one line: " + line);
        }
        try {
            control.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            control.flush();
            commandsSent++;
        } catch (IOException e) {
            throw new UncheckedIOException("Worker " + name + " does not read commands any more" + outputTail(), e);
        }
    }

    /** Waits until the worker printed {@code READY} (a line starting with it); returns that line. */
    public String awaitReady(Duration timeout) {
        return awaitOutput(line -> line.startsWith(WorkerControl.READY), timeout);
    }

    /** Waits until a line of the worker's standard output matches; returns the first that does. */
    public String awaitOutput(Predicate<String> line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> found = outputLines().stream().filter(line).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                found = outputLines().stream().filter(line).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                throw new IllegalStateException("Worker " + name + " exited with code " + process.exitValue()
                        + " before printing the expected line" + outputTail());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(
                        "Worker " + name + " did not print the expected line within " + timeout + outputTail());
            }
            Waiting.sleep(POLL_INTERVAL);
        }
    }

    /** The lines the worker printed so far. */
    public List<String> outputLines() {
        return readLines(stdout());
    }

    /** Waits for the worker to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Worker " + name + " did not exit within " + timeout + outputTail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for worker " + name, e);
        }
    }

    /**
     * Asks the worker to stop ({@value WorkerControl#STOP} on its control channel: it finishes what it does, flushes its
     * logs and exits), resuming it first if paused; returns its exit code.
     */
    public int stop(Duration timeout) {
        if (paused) {
            resume();
        }
        send(WorkerControl.STOP);
        return awaitExit(timeout);
    }

    /** Kills the worker if it is still alive. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            control.close();
        } catch (IOException alreadyGone) {
            // The worker is dead; its standard input went with it.
        }
    }

    @Override
    public String toString() {
        return "worker " + name + " (pid " + process.pid() + (process.isAlive() ? "" : ", exited") + ")";
    }

    /** The last lines of the worker's standard output and error, formatted for an exception message. */
    public String outputTail() {
        return "\n--- " + stdout() + " ---\n" + tail(readLines(stdout())) + "\n--- " + stderr() + " ---\n"
                + tail(readLines(stderr()));
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Worker " + name + " is not running: cannot send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size()));
    }

    private static List<String> readLines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return List.of();
            }
            // A line being written is not complete before its newline.
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /**
     * The class path of this JVM as a list of entries, each made absolute (a worker runs in a directory of its own).
     * Under a test runner that starts tests through a manifest-only jar
     * (Surefire's default), the entries of that jar's {@code Class-Path} are returned instead of the jar.
     */
    public static List<String> currentClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            // The worker runs in a directory of its own: a relative entry (java -cp some.jar) must not move with it.
            entries.addAll(expandManifestOnlyJar(Path.of(entry).toAbsolutePath().toString()));
        }
        return entries;
    }

    /** The {@code java} executable of this JVM. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static List<String> expandManifestOnlyJar(String entry) {
        Path path = Path.of(entry);
        if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
            return List.of(entry);
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            boolean onlyManifest = jar.stream().noneMatch(e -> e.getName().endsWith(".class"));
            if (classPath == null || !onlyManifest) {
                return List.of(entry);
            }
            List<String> expanded = new ArrayList<>();
            for (String relative : classPath.trim().split("\\s+")) {
                URI uri = path.toUri().resolve(relative);
                expanded.add(Path.of(uri).toString());
            }
            return expanded;
        } catch (IOException | IllegalArgumentException e) {
            return List.of(entry);
        }
    }

    /** Chooses a worker's main class, arguments, JVM options and directory before starting it. */
    public static final class Builder {

        /** Small heap, C1 only, serial GC: workers start fast and stay light on a busy machine. */
        private static final List<String> DEFAULT_JVM_OPTIONS =
                List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

        private final String name;
        private final String mainClass;
        private final List<String> arguments = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private Path parentDirectory = Path.of("target", "workers");

        private Builder(String name, String mainClass) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("Worker name '" + name + "': use [A-Za-z0-9._-], it names a file");
            }
            this.name = name;
            this.mainClass = mainClass;
        }

        /** Arguments passed to {@code main}. */
        public Builder arguments(String... values) {
            arguments.addAll(List.of(values));
            return this;
        }

        /** Arguments passed to {@code main}. */
        public Builder arguments(List<String> values) {
            arguments.addAll(values);
            return this;
        }

        /** Extra JVM options, after the defaults ({@code -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}). */
        public Builder jvmOptions(String... values) {
            jvmOptions.addAll(List.of(values));
            return this;
        }

        /** The directory the worker's own directory ({@code <parent>/<name>}) is created in; {@code target/workers}. */
        public Builder parentDirectory(Path value) {
            this.parentDirectory = value;
            return this;
        }

        /** Starts the worker (without waiting for it to be ready: see {@link WorkerProcess#awaitReady}). */
        public WorkerProcess start() {
            Path directory = parentDirectory.resolve(name).toAbsolutePath();
            try {
                if (Files.exists(directory)) {
                    ExitCleanup.deleteNow(directory);
                }
                Files.createDirectories(directory);
                List<String> command = new ArrayList<>();
                command.add(currentJava().toString());
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(String.join(java.io.File.pathSeparator, currentClassPath()));
                command.add(mainClass);
                command.addAll(arguments);
                Process process = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectOutput(
                                Redirect.to(directory.resolve("stdout.log").toFile()))
                        .redirectError(
                                Redirect.to(directory.resolve("stderr.log").toFile()))
                        .start();
                ExitCleanup.killAtExit(process);
                return new WorkerProcess(name, directory, process);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start worker " + name + " (" + mainClass + ")", e);
            }
        }
    }
}
