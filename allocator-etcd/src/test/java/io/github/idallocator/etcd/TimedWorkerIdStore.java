package io.github.idallocator.etcd;

import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that passes every call to another and records when each renewal was sent, how long it took and how it ended,
 * so that a test can print what the lease saw (the timeline of renewals through an etcd election).
 */
final class TimedWorkerIdStore extends ForwardingWorkerIdStore {

    private final List<long[]> renewals = new CopyOnWriteArrayList<>();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final AtomicInteger confirmed = new AtomicInteger();
    private volatile long originNanos = System.nanoTime();

    TimedWorkerIdStore(WorkerIdStore store) {
        super(store);
    }

    /** Renewals are timed from here (earlier ones get negative times). */
    void markOrigin(long nanos) {
        originNanos = nanos;
    }

    /** One line per renewal: sent at (from the origin), took, outcome. */
    List<String> renewals() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < renewals.size() && i < outcomes.size(); i++) {
            lines.add("sent at " + millis(renewals.get(i)[0] - originNanos) + " ms, took " + millis(renewals.get(i)[1])
                    + " ms: " + outcomes.get(i));
        }
        return lines;
    }

    /** How many renewals succeeded. */
    int renewed() {
        return confirmed.get();
    }

    @Override
    public WorkerClaim renew(WorkerClaim claim, Duration ttl, String note) {
        long sent = System.nanoTime();
        try {
            WorkerClaim renewed = store.renew(claim, ttl, note);
            confirmed.incrementAndGet();
            record(sent, "ok, local deadline +" + millis(renewed.localDeadlineNanos() - sent) + " ms");
            return renewed;
        } catch (RuntimeException e) {
            record(sent, e.getClass().getSimpleName());
            throw e;
        }
    }

    private synchronized void record(long sent, String outcome) {
        renewals.add(new long[] {sent, System.nanoTime() - sent});
        outcomes.add(outcome);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
