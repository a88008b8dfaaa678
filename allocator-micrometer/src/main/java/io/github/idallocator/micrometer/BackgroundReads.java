package io.github.idallocator.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a meter binder reads from Redis, read by a daemon thread of its own every interval, so that the meters report
 * the last reading and a scrape never waits for Redis. The items are made on first use, which also starts the thread;
 * {@link #close()} stops it.
 *
 * @param <T> one thing read, such as an allocator and its last stats
 */
final class BackgroundReads<T> implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String threadName;
    private final Duration interval;
    private final Consumer<T> read;
    private final Object lock = new Object();
    private @Nullable List<T> items;
    private @Nullable ScheduledExecutorService thread;
    private boolean closed;

    /**
     * @param threadName the thread's name, followed by a number
     * @param interval how often every item is read (positive)
     * @param read reads one item from Redis, keeping what it read in the item; runs on the thread
     */
    BackgroundReads(String threadName, Duration interval, Consumer<T> read) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval " + interval + " must be positive");
        }
        this.threadName = threadName;
        this.interval = interval;
        this.read = read;
    }

    /** The items, made by {@code make} on the first call, which also starts the reads. */
    List<T> items(Supplier<List<T>> make) {
        synchronized (lock) {
            if (items == null) {
                items = List.copyOf(make.get());
                if (!items.isEmpty() && !closed) {
                    ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(task -> {
                        Thread daemon = new Thread(task, threadName + THREADS.incrementAndGet());
                        daemon.setDaemon(true);
                        return daemon;
                    });
                    started.scheduleWithFixedDelay(this::readAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
                    thread = started;
                }
            }
            return items;
        }
    }

    private void readAll() {
        List<T> all;
        synchronized (lock) {
            all = items == null ? List.of() : items;
        }
        all.forEach(read);
    }

    /** Stops the reads; the items keep their last readings. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (lock) {
            closed = true;
            stopping = thread;
            thread = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
    }
}
