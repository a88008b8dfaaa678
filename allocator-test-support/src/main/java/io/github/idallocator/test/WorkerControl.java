package io.github.idallocator.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The worker's side of the control channel of a {@link WorkerProcess}: reads one command per line from standard input
 * on a daemon thread and runs the handler registered for its first word with the remaining words. After each command it
 * prints {@code DONE <n> <command>} ({@code n} counts the commands read), so the test can wait for it; an unknown
 * command or a failing handler prints {@code FAILED <n> ...} instead (and still counts).
 *
 * <p>{@value #STOP}, or the end of standard input (the test JVM is gone), releases {@link #awaitStop()}. Uses only the
 * JDK, so a worker JVM needs nothing else from this module.
 */
public final class WorkerControl {

    /** What a worker prints once it is ready for the test ({@link #ready(String)}). */
    public static final String READY = "READY";

    /** The command that asks a worker to stop. */
    public static final String STOP = "stop";

    private final Map<String, Consumer<String[]>> handlers = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintStream out;
    private final InputStream in;
    private int received;

    /** A control channel on {@link System#in} and {@link System#out}. */
    public WorkerControl() {
        this(System.in, System.out);
    }

    /** A control channel on the given streams (for tests of the channel itself). */
    public WorkerControl(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    /** Runs {@code handler} with the words after {@code command} whenever a line starts with it. */
    public WorkerControl on(String command, Consumer<String[]> handler) {
        if (command.equals(STOP)) {
            throw new IllegalArgumentException("'" + STOP + "' is built in: wait for it with awaitStop()");
        }
        handlers.put(command, handler);
        return this;
    }

    /** Starts reading commands on a daemon thread. */
    public WorkerControl listen() {
        Thread reader = new Thread(this::readCommands, "worker-control");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Prints {@code READY <detail>}: the test's {@link WorkerProcess#awaitReady} returns this line. */
    public void ready(String detail) {
        print(detail.isEmpty() ? READY : READY + " " + detail);
    }

    /** Prints one line on standard output at once. */
    public void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Blocks until {@value #STOP} was received or standard input ended. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@value #STOP} was received or standard input ended. */
    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void readCommands() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                handle(line.trim());
            }
        } catch (IOException endOfInput) {
            // Same as the end of input: nobody can command this worker any more.
        } finally {
            stopped.countDown();
        }
    }

    private void handle(String line) {
        int number = ++received;
        String[] words = line.split("\\s+");
        if (words[0].equals(STOP)) {
            print("DONE " + number + " " + line);
            stopped.countDown();
            return;
        }
        Consumer<String[]> handler = handlers.get(words[0]);
        if (handler == null) {
            print("FAILED " + number + " unknown command: " + line);
            return;
        }
        try {
            handler.accept(Arrays.copyOfRange(words, 1, words.length));
            print("DONE " + number + " " + line);
        } catch (RuntimeException e) {
            print("FAILED " + number + " " + line + ": " + e);
        }
    }
}
