package io.github.idallocator.fault;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.PoolEvent;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process using {@link RedisResourcePool} as an application would, through the public API only. The pool's resources
 * are named {@code res-<n>}; in the event log the pool is a resource of its own (its name) and {@code res-<n>} is its id
 * {@code n}, so {@code FaultLogs.overlappingHolds(pool)}, {@code holdsBeyond(pool, maxHolders)} and {@code
 * tokenViolations(pool)} check every resource of the pool at once: {@code HOLD} once {@code acquire} returned and {@link
 * ResourceLease#isHeld()} was checked, {@code RENEW} when a renewal moved the lease's local deadline, {@code END} before
 * the release is sent (or once {@code isHeld()} was found false), and {@code MARK SENT <pool> <n> <token> <nanos>} with
 * the {@link System#nanoTime()} at which the granted acquisition was sent ({@link PoolLogs} reads it).
 *
 * <p>On start it adds {@code res-0} to {@code res-<resources - 1>} (idempotent) and calls the pool once (not logged), so
 * the connection is open and the scripts are loaded before {@code READY}. Arguments (besides {@link FaultWorker}'s):
 * {@code pool=} (its name), {@code resources=} (how many), {@code max-holders=} (default 1: exclusive), {@code lease-ms=}
 * (the default lease time), {@code poll-ms=} (wait poll bound, default 250), {@code maintenance-ms=} (maintenance
 * interval, default 5000); for holds run in a loop: {@code threads=} (default 0: none), {@code sections=} (per thread;
 * default 0: until stopped), {@code work-max-us=} (each hold lasts up to this long), {@code wait-ms=} (acquire's wait
 * timeout). The loop prints {@code FINISHED <holds>} once every thread has done its sections; a release in the loop that
 * is not {@code RELEASED} is logged as {@code MARK RELEASE-REFUSED <pool> <n> <token> <outcome>}.
 *
 * <p>Commands: {@code acquire <wait-ms>} (acquires on a thread of its own and prints {@code ACQUIRED <k> <resource>
 * <token> <owner>}, or {@code NOT-ACQUIRED <k> <exception or timeout>}, {@code k} counting this process's commands);
 * {@code use <resource>} (checks {@code isHeld()} every 5 ms before a "use" and logs {@code MARK CHECK <resource> <token>
 * <held> <nanos before the check>}; prints {@code NOT-HELD <resource> <token>} and stops at the first {@code false});
 * {@code renew <resource>} (logs {@code MARK RENEW-CALLED <resource> <token> <renewed>}, prints {@code RENEW-CALLED
 * <resource> <renewed>}); {@code release <resource>} (logs {@code MARK RELEASED <resource> <token> <outcome> <nanos when
 * release returned>}, prints {@code RELEASED <resource> <outcome>}); {@code snapshot <resource>} (prints {@code
 * RESOURCE <resource> <holders in Redis> <expired leases collected in the pool>}); {@code creator} (prints {@code
 * CREATOR <true|false>}: whether this instance runs the pool's maintenance). A {@link PoolEvent} of type {@code
 * LOST} is logged as {@code MARK LOST <resource> <token> <message>} and printed as {@code LOST <resource> <token>}; a
 * moved deadline is printed as {@code RENEWED <resource> <token>}.
 */
public final class PoolWorker {

    /** The prefix of every resource name; the number after it is the resource's id in the event log. */
    static final String RESOURCE_PREFIX = "res-";

    private static final Duration USE_INTERVAL = Duration.ofMillis(5);
    private static final Duration RENEWAL_CHECK_INTERVAL = Duration.ofMillis(2);

    private final FaultWorker worker;
    private final RedisResourcePool pool;
    private final Map<String, ResourceLease> leases = new ConcurrentHashMap<>();
    private final Map<ResourceLease, Long> deadlines = new ConcurrentHashMap<>();
    private final AtomicInteger acquisitions = new AtomicInteger();

    private PoolWorker(FaultWorker worker, RedisResourcePool pool) {
        this.worker = worker;
        this.pool = pool;
    }

    public static void main(String[] args) throws InterruptedException {
        FaultWorker worker = FaultWorker.of(args);
        PoolConfig.Builder config = PoolConfig.builder(worker.required("pool"))
                .leaseTime(worker.millis("lease-ms"))
                .waitPollBound(Duration.ofMillis(worker.number("poll-ms", 250)))
                .maintenanceInterval(Duration.ofMillis(worker.number("maintenance-ms", 5000)));
        int maxHolders = (int) worker.number("max-holders", 1);
        if (maxHolders > 1) {
            config.shared(maxHolders);
        }
        RedisResourcePool pool = RedisResourcePool.createOrAttach(worker.connect(), config.build(), worker.name);
        PoolWorker pools = new PoolWorker(worker, pool);
        pool.addListener(pools::logEvent);
        worker.control.on("acquire", pools::acquireCommand);
        worker.control.on("use", words -> pools.startUsing(words[0]));
        worker.control.on("renew", words -> pools.renew(words[0]));
        worker.control.on("release", words -> pools.release(words[0]));
        worker.control.on("snapshot", words -> pools.snapshot(words[0]));
        worker.control.on("creator", words -> worker.control.print("CREATOR " + pool.isCreator()));
        Thread renewals = new Thread(pools::reportRenewals, "renewal-reporter");
        renewals.setDaemon(true);
        renewals.start();
        for (int i = 0; i < worker.number("resources"); i++) {
            pool.add(RESOURCE_PREFIX + i);
        }
        pool.snapshot(); // opens the connection and loads a script before the test relies on the first call's timing
        worker.readyAndAwaitGo();

        List<Thread> threads = new ArrayList<>();
        AtomicLong finished = new AtomicLong();
        int count = (int) worker.number("threads", 0);
        AtomicInteger running = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(
                    () -> {
                        finished.addAndGet(pools.holds());
                        if (running.decrementAndGet() == 0) {
                            worker.control.print("FINISHED " + finished.get());
                        }
                    },
                    "holds-" + i);
            thread.start();
            threads.add(thread);
        }
        worker.control.awaitStop();
        for (Thread thread : threads) {
            thread.join();
        }
        pool.close();
        worker.close();
    }

    /** The id of resource {@code res-<n>} in the event log: {@code n}. */
    static long id(String resource) {
        return Long.parseLong(resource.substring(RESOURCE_PREFIX.length()));
    }

    /**
     * Acquires, uses for a random time and releases resources until {@code sections} are done or the worker is stopped;
     * returns how many holds were done.
     */
    private long holds() {
        long sections = worker.number("sections", 0);
        long workMaxNanos = worker.number("work-max-us", 0) * 1000;
        Duration wait = worker.millis("wait-ms");
        long done = 0;
        while (!worker.control.isStopped() && (sections == 0 || done < sections)) {
            ResourceLease lease;
            try {
                lease = pool.acquire(wait);
            } catch (RuntimeException e) {
                worker.failed(e);
                continue;
            }
            if (lease.isHeld()) {
                startRelyingOn(lease);
                if (workMaxNanos > 0) {
                    FaultWorker.pause(
                            Duration.ofNanos(ThreadLocalRandom.current().nextLong(workMaxNanos + 1)));
                }
                stopRelyingOn(lease, lease.isHeld() ? "released" : "not-held");
                done++;
            } else {
                worker.log.mark("NOT-HELD-ON-ENTRY", lease.resource() + " " + lease.fencingToken());
            }
            try {
                ReleaseOutcome outcome = lease.release();
                if (outcome != ReleaseOutcome.RELEASED) {
                    worker.log.mark(
                            "RELEASE-REFUSED",
                            pool.name() + " " + id(lease.resource()) + " " + lease.fencingToken() + " " + outcome);
                }
            } catch (RuntimeException e) {
                worker.failed(e);
            }
        }
        return done;
    }

    /** {@code acquire <wait-ms>}: acquires on a thread of its own. */
    private void acquireCommand(String[] words) {
        Duration wait = Duration.ofMillis(Long.parseLong(words[0]));
        int number = acquisitions.incrementAndGet();
        Thread thread = new Thread(() -> acquire(number, wait), "acquire-" + number);
        thread.start();
    }

    private void acquire(int number, Duration wait) {
        Optional<ResourceLease> acquired;
        try {
            acquired = pool.tryAcquire(wait, AcquireOptions.defaults());
        } catch (RuntimeException e) {
            worker.log.error(e);
            worker.control.print("NOT-ACQUIRED " + number + " " + e.getClass().getSimpleName());
            return;
        }
        long returned = System.nanoTime();
        if (acquired.isEmpty()) {
            worker.control.print("NOT-ACQUIRED " + number + " timeout");
            return;
        }
        ResourceLease lease = acquired.get();
        if (!lease.isHeld()) {
            worker.control.print("NOT-ACQUIRED " + number + " not-held");
            return;
        }
        startRelyingOn(lease);
        worker.log.mark("ACQUIRED", lease.resource() + " " + lease.fencingToken() + " " + returned);
        leases.put(lease.resource(), lease);
        worker.control.print(
                "ACQUIRED " + number + " " + lease.resource() + " " + lease.fencingToken() + " " + lease.owner());
    }

    /** {@code use <resource>}: a "writer" that checks {@code isHeld()} before each use, until it is false. */
    private void startUsing(String resource) {
        ResourceLease lease = held(resource);
        Thread thread = new Thread(
                () -> {
                    while (!worker.control.isStopped()) {
                        long before = System.nanoTime();
                        boolean held = lease.isHeld();
                        worker.log.mark("CHECK", resource + " " + lease.fencingToken() + " " + held + " " + before);
                        if (!held) {
                            stopRelyingOn(lease, "not-held");
                            worker.control.print("NOT-HELD " + resource + " " + lease.fencingToken());
                            return;
                        }
                        FaultWorker.pause(USE_INTERVAL);
                    }
                },
                "use-" + resource);
        thread.start();
    }

    /** {@code renew <resource>}: renews the lease acquired by command once, by hand. */
    private void renew(String resource) {
        ResourceLease lease = held(resource);
        boolean renewed;
        try {
            renewed = lease.renew();
        } catch (RuntimeException e) {
            worker.log.error(e);
            throw e;
        }
        worker.log.mark("RENEW-CALLED", resource + " " + lease.fencingToken() + " " + renewed);
        worker.control.print("RENEW-CALLED " + resource + " " + renewed);
    }

    /** {@code release <resource>}: releases the lease acquired by command. */
    private void release(String resource) {
        ResourceLease lease = held(resource);
        stopRelyingOn(lease, "released");
        ReleaseOutcome outcome;
        try {
            outcome = lease.release();
        } catch (RuntimeException e) {
            worker.log.error(e);
            throw e;
        }
        long returned = System.nanoTime();
        leases.remove(resource, lease);
        worker.log.mark("RELEASED", resource + " " + lease.fencingToken() + " " + outcome + " " + returned);
        worker.control.print("RELEASED " + resource + " " + outcome);
    }

    /** {@code snapshot <resource>}: how many holders Redis counts for it, and how many expired leases were collected. */
    private void snapshot(String resource) {
        PoolSnapshot snapshot = pool.snapshot(null, 1000);
        int holders = snapshot.resources().stream()
                .filter(r -> r.name().equals(resource))
                .mapToInt(r -> r.holders().size())
                .findFirst()
                .orElse(-1);
        worker.control.print(
                "RESOURCE " + resource + " " + holders + " " + snapshot.totals().expired());
    }

    /** Logs {@code HOLD} and {@code SENT} for a lease found held, and watches it for renewals. */
    private void startRelyingOn(ResourceLease lease) {
        long deadline = lease.localDeadlineNanos();
        long id = id(lease.resource());
        worker.log.hold(pool.name(), id, lease.fencingToken(), deadline);
        worker.log.mark("SENT", pool.name() + " " + id + " " + lease.fencingToken() + " " + lease.acquiredNanos());
        deadlines.put(lease, deadline);
    }

    /** Logs {@code END} once for a lease the process relied on (so no {@code RENEW} of it comes after). */
    private void stopRelyingOn(ResourceLease lease, String reason) {
        synchronized (lease) {
            if (deadlines.remove(lease) != null) {
                worker.log.end(pool.name(), id(lease.resource()), lease.fencingToken(), reason);
            }
        }
    }

    private ResourceLease held(String resource) {
        ResourceLease lease = leases.get(resource);
        if (lease == null) {
            throw new IllegalStateException("No lease of resource " + resource + " was acquired by command");
        }
        return lease;
    }

    private void logEvent(PoolEvent event) {
        if (event.type() == PoolEvent.Type.LOST) {
            worker.log.mark("LOST", event.resource() + " " + event.fencingToken() + " " + event.message());
            worker.control.print("LOST " + event.resource() + " " + event.fencingToken());
        }
    }

    /** Logs {@code RENEW} whenever a renewal moved the local deadline of a lease the process relies on. */
    private void reportRenewals() {
        while (true) {
            for (Map.Entry<ResourceLease, Long> entry : deadlines.entrySet()) {
                ResourceLease lease = entry.getKey();
                long deadline = lease.localDeadlineNanos();
                if (deadline == entry.getValue()) {
                    continue;
                }
                synchronized (lease) {
                    if (deadlines.replace(lease, entry.getValue(), deadline)) {
                        worker.log.renew(pool.name(), id(lease.resource()), lease.fencingToken(), deadline);
                        worker.control.print("RENEWED " + lease.resource() + " " + lease.fencingToken());
                    }
                }
            }
            FaultWorker.pause(RENEWAL_CHECK_INTERVAL);
        }
    }
}
