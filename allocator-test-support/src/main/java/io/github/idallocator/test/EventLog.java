package io.github.idallocator.test;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What one worker process writes for {@link FaultLogs} to merge: every record carries {@link System#nanoTime()}, which
 * on Linux is one clock for all processes of the machine, so the logs of several processes merge into one timeline.
 *
 * <ul>
 *   <li>Text events, one line each, written through to the operating system at once (they survive {@code kill -9}):
 *       {@code <nanos> HOLD|RENEW <resource> <id> <token> <deadlineNanos>}, {@code <nanos> END <resource> <id> <token>
 *       <reason>}, {@code <nanos> ERROR <class> <retryable> <class chain> <message>}, {@code <nanos> MARK <name>
 *       <words...>}. File {@code events-<process>.log}.
 *   <li>Issued ids, compactly: pairs of big-endian longs {@code (nanos, id)} per {@link IdSink} (one per generating
 *       thread), file {@code ids-<process>-<n>.bin}. Buffered, and written out at least every {@value #FLUSH_MILLIS}
 *       ms, so a {@code kill -9} loses at most the ids of that last interval.
 * </ul>
 *
 * <p>Uses only the JDK. Thread-safe.
 */
public final class EventLog implements AutoCloseable {

    /** How often buffered ids are written out, at most. */
    public static final long FLUSH_MILLIS = 20;

    private static final int SINK_BUFFER_IDS = 4096;
    private static final int MAX_MESSAGE = 300;

    private final String process;
    private final Path directory;
    private final BufferedWriter events;
    private final List<IdSink> sinks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService flusher;
    private int sinkCount;

    private EventLog(String process, Path directory) throws IOException {
        this.process = process;
        this.directory = directory;
        Files.createDirectories(directory);
        this.events = Files.newBufferedWriter(
                directory.resolve("events-" + process + ".log"),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-log-flusher");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flushSinks, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Opens the log of process {@code process} (a name unique among the test's workers) in {@code directory}. */
    public static EventLog open(String process, Path directory) {
        if (!process.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("Process name '" + process + "': use [A-Za-z0-9._-]");
        }
        try {
            return new EventLog(process, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the event log in " + directory, e);
        }
    }

    /** The process name this log writes under. */
    public String process() {
        return process;
    }

    /** A hold of {@code id} of {@code resource} started (the acquisition was confirmed now). */
    public void hold(String resource, long id, long token, long deadlineNanos) {
        event("HOLD " + word(resource) + " " + id + " " + token + " " + deadlineNanos);
    }

    /** A renewal of the hold of {@code id} was confirmed now: it lasts until {@code deadlineNanos}. */
    public void renew(String resource, long id, long token, long deadlineNanos) {
        event("RENEW " + word(resource) + " " + id + " " + token + " " + deadlineNanos);
    }

    /** The holder stopped relying on its hold of {@code id} now (released, lost, or past its deadline). */
    public void end(String resource, long id, long token, String reason) {
        event("END " + word(resource) + " " + id + " " + token + " " + word(reason));
    }

    /**
     * A call failed with {@code error}: records its class, its class chain (so the test can check it is of the
     * project's exception type) and its {@code isRetryable()} answer ({@code -} when it has no such method).
     */
    public void error(Throwable error) {
        List<String> chain = new ArrayList<>();
        for (Class<?> type = error.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            chain.add(type.getName());
        }
        event("ERROR " + error.getClass().getName() + " " + retryable(error) + " " + String.join(",", chain) + " "
                + oneLine(String.valueOf(error.getMessage())));
    }

    /** A named moment, for the test to wait for or to report: {@code MARK <name> <detail>}. */
    public void mark(String name, String detail) {
        event("MARK " + word(name) + (detail.isEmpty() ? "" : " " + oneLine(detail)));
    }

    /** A new sink for the ids one thread issues. */
    public synchronized IdSink idSink() {
        int number = sinkCount++;
        try {
            FileChannel channel = FileChannel.open(
                    directory.resolve("ids-" + process + "-" + number + ".bin"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            IdSink sink = new IdSink(channel);
            sinks.add(sink);
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open an id log in " + directory, e);
        }
    }

    /** Writes out every buffered id and event. */
    public void flush() {
        flushSinks();
        synchronized (events) {
            try {
                events.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the event log", e);
            }
        }
    }

    /** Flushes and closes the files. */
    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
        for (IdSink sink : sinks) {
            sink.close();
        }
        synchronized (events) {
            try {
                events.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not close the event log", e);
            }
        }
    }

    private void event(String line) {
        long nanos = System.nanoTime();
        synchronized (events) {
            try {
                events.write(nanos + " " + line);
                events.newLine();
                events.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the event log", e);
            }
        }
    }

    private void flushSinks() {
        for (IdSink sink : sinks) {
            sink.flush();
        }
    }

    private static String retryable(Throwable error) {
        try {
            Method method = error.getClass().getMethod("isRetryable");
            return String.valueOf(method.invoke(error));
        } catch (ReflectiveOperationException | RuntimeException none) {
            return "-";
        }
    }

    private static String word(String value) {
        if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + value + "' must be one word");
        }
        return value;
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }

    /** The ids one thread issues, as {@code (nanos, id)} pairs; {@link #add(long)} is cheap. */
    public static final class IdSink {

        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(SINK_BUFFER_IDS * 2 * Long.BYTES);
        private long written;

        private IdSink(FileChannel channel) {
            this.channel = channel;
        }

        /** Records that {@code id} was issued now. */
        public synchronized void add(long id) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.putLong(System.nanoTime());
            buffer.putLong(id);
            written++;
        }

        /** Records ids issued now in one call. */
        public synchronized void addAll(long[] ids) {
            long nanos = System.nanoTime();
            for (long id : ids) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                buffer.putLong(nanos);
                buffer.putLong(id);
            }
            written += ids.length;
        }

        /** How many ids this sink recorded. */
        public synchronized long count() {
            return written;
        }

        synchronized void flush() {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write an id log", e);
            } finally {
                buffer.clear();
            }
        }

        synchronized void close() {
            flush();
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not close an id log", e);
            }
        }
    }
}
