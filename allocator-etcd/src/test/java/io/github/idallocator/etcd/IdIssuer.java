package io.github.idallocator.etcd;

import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that asks a generator for ids about every 0.2 ms, as a busy application would, and records what it got: every
 * id, the {@link System#nanoTime()} after the last id of each worker id returned, and the ids refused ({@link
 * WorkerLeaseLostException}).
 */
final class IdIssuer implements AutoCloseable {

    private final SnowflakeIdGenerator generator;
    private final Thread thread;
    private final Set<Long> ids = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Long> lastIssuedNanosByWorker = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong firstRefusedNanos = new AtomicLong();
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final AtomicReference<Throwable> unexpected = new AtomicReference<>();
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();
    private volatile long lastIssuedNanos;
    private volatile boolean running = true;

    IdIssuer(SnowflakeIdGenerator generator, String name) {
        this.generator = generator;
        this.thread = new Thread(this::run, "id-issuer-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try {
                long id = generator.nextId();
                long now = System.nanoTime();
                ids.add(id);
                lastIssuedNanosByWorker.put(generator.decompose(id).workerId(), now);
                if (lastIssuedNanos != 0) {
                    longestGapNanos.accumulateAndGet(now - lastIssuedNanos, Math::max);
                }
                lastIssuedNanos = now;
                issued.incrementAndGet();
            } catch (WorkerLeaseLostException e) {
                if (firstRefusedNanos.compareAndSet(0, System.nanoTime())) {
                    firstRefusal.set(e.getMessage());
                }
                refused.incrementAndGet();
            } catch (RuntimeException | Error e) {
                unexpected.compareAndSet(null, e);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Every id issued so far. */
    Set<Long> ids() {
        return ids;
    }

    long issued() {
        return issued.get();
    }

    long refused() {
        return refused.get();
    }

    /** {@link System#nanoTime()} of the first refusal since the last {@link #resetCounters()}, 0 when none. */
    long firstRefusedNanos() {
        return firstRefusedNanos.get();
    }

    /** The message of the first refusal since the last {@link #resetCounters()}, null when none. */
    String firstRefusal() {
        return firstRefusal.get();
    }

    /** {@link System#nanoTime()} read right after the last id with {@code workerId} was returned; 0 when none. */
    long lastIssuedNanos(long workerId) {
        return lastIssuedNanosByWorker.getOrDefault(workerId, 0L);
    }

    /** The longest time between two consecutive ids since the last {@link #resetCounters()}. */
    long longestGapNanos() {
        return longestGapNanos.get();
    }

    /** A failure other than a refusal, which ends the thread; null when none. */
    Throwable unexpected() {
        return unexpected.get();
    }

    /** Starts counting refusals and gaps afresh. */
    void resetCounters() {
        refused.set(0);
        firstRefusedNanos.set(0);
        firstRefusal.set(null);
        longestGapNanos.set(0);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
