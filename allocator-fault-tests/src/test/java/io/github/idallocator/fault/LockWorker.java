package io.github.idallocator.fault;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.RedisLockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process using {@link RedisLockService} as an application would, through the public API only. In the event log a
 * lock is a resource of its own (its name; id 0), so {@code FaultLogs.overlappingHolds(name)} and {@code
 * tokenViolations(name)} check it: {@code HOLD} once {@code acquire} returned and {@link LockLease#isHeld()} was
 * checked, {@code RENEW} when a renewal moved the lease's local deadline, {@code END} before the release is sent (or
 * once {@code isHeld()} was found false).
 *
 * <p>Before it prints {@code READY} it acquires and releases a lock of its own, {@code warm-up.<name>}. Arguments
 * (besides {@link FaultWorker}'s): {@code namespace=}, {@code lease-ms=} (the default lease time), {@code poll-ms=}
 * (wait poll bound, default 250), {@code replica-acks=}, {@code ack-timeout-ms=}; for critical sections run in a loop:
 * {@code threads=} (default 0: none), {@code locks=} (comma-separated names, one picked at random per section), {@code
 * sections=} (per thread; default 0: until stopped), {@code work-max-us=} (each section lasts up to this long), {@code
 * wait-ms=} (acquire's wait timeout). The loop prints {@code SECTION 1} after the process's first section and {@code
 * FINISHED <sections>} once every thread has done its sections.
 *
 * <p>Commands, each for one lock name of this process: {@code acquire <name> <wait-ms> [<lease-ms>]} (acquires on a
 * thread of its own and prints {@code ACQUIRED <n> <name> <token> <owner>}, or {@code NOT-ACQUIRED <n> <name>
 * <exception>}); {@code use <name>} (checks {@code isHeld()} every 5 ms before a "write" and logs {@code MARK CHECK
 * <name> <token> <held> <nanos before the check>}; prints {@code NOT-HELD <name> <token>} and stops at the first
 * {@code false}); {@code release <name>} (logs {@code MARK RELEASED <name> <token> <outcome> <nanos when release
 * returned>} and prints {@code RELEASED <name> <outcome>}). A {@link LockEvent} of type {@code LOST} is logged as
 * {@code MARK LOST <name> <token> <message>} and printed as {@code LOST <name> <token>}; a moved deadline is printed as
 * {@code RENEWED <name> <token>}.
 */
public final class LockWorker {

    private static final Duration USE_INTERVAL = Duration.ofMillis(5);
    private static final Duration RENEWAL_CHECK_INTERVAL = Duration.ofMillis(2);

    private final FaultWorker worker;
    private final RedisLockService service;
    private final Map<String, LockLease> leases = new ConcurrentHashMap<>();
    private final Map<LockLease, Long> deadlines = new ConcurrentHashMap<>();
    private final AtomicInteger acquisitions = new AtomicInteger();
    private final AtomicBoolean firstSection = new AtomicBoolean();

    private LockWorker(FaultWorker worker, RedisLockService service) {
        this.worker = worker;
        this.service = service;
    }

    public static void main(String[] args) throws InterruptedException {
        FaultWorker worker = FaultWorker.of(args);
        LockConfig.Builder config = LockConfig.builder(worker.required("namespace"))
                .leaseTime(worker.millis("lease-ms"))
                .waitPollBound(Duration.ofMillis(worker.number("poll-ms", 250)));
        if (worker.number("replica-acks", 0) > 0) {
            config.replicaAcks((int) worker.number("replica-acks"), worker.millis("ack-timeout-ms"));
        }
        RedisLockService service = RedisLockService.create(worker.connect(), config.build(), worker.name);
        LockWorker locks = new LockWorker(worker, service);
        service.addListener(locks::logEvent);
        worker.control.on("acquire", locks::acquireCommand);
        worker.control.on("use", words -> locks.startUsing(words[0]));
        worker.control.on("release", words -> locks.release(words[0]));
        Thread renewals = new Thread(locks::reportRenewals, "renewal-reporter");
        renewals.setDaemon(true);
        renewals.start();
        locks.warmUp();
        worker.readyAndAwaitGo();

        List<Thread> threads = new ArrayList<>();
        AtomicLong finished = new AtomicLong();
        int count = (int) worker.number("threads", 0);
        AtomicInteger running = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(
                    () -> {
                        finished.addAndGet(locks.criticalSections());
                        if (running.decrementAndGet() == 0) {
                            worker.control.print("FINISHED " + finished.get());
                        }
                    },
                    "sections-" + i);
            thread.start();
            threads.add(thread);
        }
        worker.control.awaitStop();
        for (Thread thread : threads) {
            thread.join();
        }
        service.close();
        worker.close();
    }

    /**
     * Acquires and releases a lock of its own once (not logged), so that the connection is open and the scripts are
     * loaded before the test relies on the timing of a first acquisition: a cold JVM on a busy machine can take longer
     * than a short lease for it.
     */
    private void warmUp() {
        try {
            service.tryAcquire("warm-up." + worker.name).ifPresent(LockLease::release);
        } catch (RuntimeException e) {
            worker.failed(e);
        }
    }

    /**
     * Runs critical sections on random lock names until {@code sections} are done or the worker is stopped; returns how
     * many were done.
     */
    private long criticalSections() {
        String[] names = worker.required("locks").split(",");
        long sections = worker.number("sections", 0);
        long workMaxNanos = worker.number("work-max-us", 0) * 1000;
        Duration wait = worker.millis("wait-ms");
        long done = 0;
        while (!worker.control.isStopped() && (sections == 0 || done < sections)) {
            String name = names[ThreadLocalRandom.current().nextInt(names.length)];
            LockLease lease;
            try {
                lease = service.acquire(name, wait);
            } catch (RuntimeException e) {
                worker.failed(e);
                continue;
            }
            if (lease.isHeld()) {
                long deadline = lease.localDeadlineNanos();
                worker.log.hold(name, 0, lease.fencingToken(), deadline);
                deadlines.put(lease, deadline);
                if (workMaxNanos > 0) {
                    FaultWorker.pause(
                            Duration.ofNanos(ThreadLocalRandom.current().nextLong(workMaxNanos + 1)));
                }
                stopRelyingOn(lease, lease.isHeld() ? "released" : "not-held");
                if (done++ == 0 && firstSection.compareAndSet(false, true)) {
                    worker.control.print("SECTION 1");
                }
            } else {
                worker.log.mark("NOT-HELD-ON-ENTRY", name + " " + lease.fencingToken());
            }
            try {
                lease.release();
            } catch (RuntimeException e) {
                worker.failed(e);
            }
        }
        return done;
    }

    /** {@code acquire <name> <wait-ms> [<lease-ms>]}: acquires on a thread of its own. */
    private void acquireCommand(String[] words) {
        String name = words[0];
        Duration wait = Duration.ofMillis(Long.parseLong(words[1]));
        Duration lease = words.length > 2
                ? Duration.ofMillis(Long.parseLong(words[2]))
                : service.config().leaseTime();
        int number = acquisitions.incrementAndGet();
        Thread thread = new Thread(() -> acquire(number, name, wait, lease), "acquire-" + number);
        thread.start();
    }

    private void acquire(int number, String name, Duration wait, Duration leaseTime) {
        Optional<LockLease> acquired;
        try {
            acquired = service.tryAcquire(name, wait, leaseTime);
        } catch (RuntimeException e) {
            worker.log.error(e);
            worker.control.print(
                    "NOT-ACQUIRED " + number + " " + name + " " + e.getClass().getSimpleName());
            return;
        }
        long returned = System.nanoTime();
        if (acquired.isEmpty()) {
            worker.control.print("NOT-ACQUIRED " + number + " " + name + " timeout");
            return;
        }
        LockLease lease = acquired.get();
        if (!lease.isHeld()) {
            worker.control.print("NOT-ACQUIRED " + number + " " + name + " not-held");
            return;
        }
        long deadline = lease.localDeadlineNanos();
        worker.log.hold(name, 0, lease.fencingToken(), deadline);
        worker.log.mark("ACQUIRED", name + " " + lease.fencingToken() + " " + returned);
        leases.put(name, lease);
        deadlines.put(lease, deadline);
        worker.control.print("ACQUIRED " + number + " " + name + " " + lease.fencingToken() + " " + lease.owner());
    }

    /** {@code use <name>}: a "writer" that checks {@code isHeld()} before each write, until it is false. */
    private void startUsing(String name) {
        LockLease lease = held(name);
        Thread thread = new Thread(
                () -> {
                    while (!worker.control.isStopped()) {
                        long before = System.nanoTime();
                        boolean held = lease.isHeld();
                        worker.log.mark("CHECK", name + " " + lease.fencingToken() + " " + held + " " + before);
                        if (!held) {
                            stopRelyingOn(lease, "not-held");
                            worker.control.print("NOT-HELD " + name + " " + lease.fencingToken());
                            return;
                        }
                        FaultWorker.pause(USE_INTERVAL);
                    }
                },
                "use-" + name);
        thread.start();
    }

    /** {@code release <name>}: releases the lease acquired by command. */
    private void release(String name) {
        LockLease lease = held(name);
        stopRelyingOn(lease, "released");
        ReleaseOutcome outcome;
        try {
            outcome = lease.release();
        } catch (RuntimeException e) {
            worker.log.error(e);
            throw e;
        }
        long returned = System.nanoTime();
        leases.remove(name, lease);
        worker.log.mark("RELEASED", name + " " + lease.fencingToken() + " " + outcome + " " + returned);
        worker.control.print("RELEASED " + name + " " + outcome);
    }

    /** Logs {@code END} once for a lease the process relied on (so no {@code RENEW} of it comes after). */
    private void stopRelyingOn(LockLease lease, String reason) {
        synchronized (lease) {
            if (deadlines.remove(lease) != null) {
                worker.log.end(lease.name(), 0, lease.fencingToken(), reason);
            }
        }
    }

    private LockLease held(String name) {
        LockLease lease = leases.get(name);
        if (lease == null) {
            throw new IllegalStateException("No lease of lock " + name + " was acquired by command");
        }
        return lease;
    }

    private void logEvent(LockEvent event) {
        if (event.type() == LockEvent.Type.LOST) {
            worker.log.mark("LOST", event.name() + " " + event.fencingToken() + " " + event.message());
            worker.control.print("LOST " + event.name() + " " + event.fencingToken());
        }
    }

    /** Logs {@code RENEW} whenever a renewal moved the local deadline of a lease the process relies on. */
    private void reportRenewals() {
        while (true) {
            for (Map.Entry<LockLease, Long> entry : deadlines.entrySet()) {
                LockLease lease = entry.getKey();
                long deadline = lease.localDeadlineNanos();
                if (deadline == entry.getValue()) {
                    continue;
                }
                synchronized (lease) {
                    if (deadlines.replace(lease, entry.getValue(), deadline)) {
                        worker.log.renew(lease.name(), 0, lease.fencingToken(), deadline);
                        worker.control.print("RENEWED " + lease.name() + " " + lease.fencingToken());
                    }
                }
            }
            FaultWorker.pause(RENEWAL_CHECK_INTERVAL);
        }
    }
}
