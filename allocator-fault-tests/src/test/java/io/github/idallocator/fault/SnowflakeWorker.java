package io.github.idallocator.fault;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.test.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process generating Snowflake ids on a leased worker id, as an application would: {@code threads} threads call
 * {@link SnowflakeIdGenerator#nextId()} in a loop and log every id; every exception is logged and the loop goes on.
 *
 * <p>Arguments (besides {@link FaultWorker}'s): {@code allocator=} (the worker-id allocator's name), {@code
 * max-worker=} (worker ids 0..max), {@code ttl-ms=}, {@code heartbeat-ms=}, {@code margin-ms=}, {@code handover-ms=}
 * ({@link WorkerLeaseSettings}), {@code threads=}, {@code pace-us=} (each clock read of the generator parks this long
 * first, see {@link OffsetClock}). Commands: {@code clock-offset <ms>} sets the wall clock's offset from true time.
 * Prints {@code ACQUIRED <worker id>} on every acquisition, {@code RENEWED <n>} after each confirmed renewal and {@code
 * ISSUED} after the first id.
 */
public final class SnowflakeWorker {

    private SnowflakeWorker() {}

    public static void main(String[] args) throws InterruptedException {
        FaultWorker worker = FaultWorker.of(args);
        OffsetClock clock = new OffsetClock(Duration.ofNanos(worker.number("pace-us") * 1000));
        worker.control.on("clock-offset", words -> {
            clock.offset(Long.parseLong(words[0]));
            worker.log.mark("CLOCK-OFFSET", words[0]);
        });
        Duration ttl = worker.millis("ttl-ms");
        WorkerLeaseSettings settings = new WorkerLeaseSettings(
                ttl, worker.millis("heartbeat-ms"), worker.millis("margin-ms"), worker.millis("handover-ms"));
        IdAllocatorConfig config = IdAllocatorConfig.builder(
                        worker.required("allocator"), 0, worker.number("max-worker"))
                .defaultTtl(ttl)
                .reuseDelay(Duration.ZERO)
                .recoveryPeriod(ttl)
                .build();
        IdAllocator workers = attach(worker, config);
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(clock::pacedMillis)
                .build();
        WorkerIdLease lease = new WorkerIdLease(workers, generator, settings, clock::millis);
        lease.addListener(event -> {
            worker.log.mark("LEASE-" + event.type(), Long.toString(event.workerId()));
            if (event.type() == WorkerLeaseEvent.Type.ACQUIRED) {
                worker.control.print("ACQUIRED " + event.workerId());
            }
        });
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        worker.readyAndAwaitGo();
        while (!worker.control.isStopped()) {
            try {
                lease.start(scheduler);
                break;
            } catch (RuntimeException e) {
                worker.failed(e);
                FaultWorker.pause(Duration.ofMillis(100));
            }
        }
        scheduler.scheduleWithFixedDelay(
                new RenewalReporter(worker, lease), 10, 10, java.util.concurrent.TimeUnit.MILLISECONDS);

        List<Thread> threads = new ArrayList<>();
        AtomicBoolean issued = new AtomicBoolean();
        for (int i = 0; i < worker.number("threads"); i++) {
            EventLog.IdSink ids = worker.log.idSink();
            Thread thread = new Thread(() -> generate(worker, generator, ids, issued), "generator-" + i);
            thread.start();
            threads.add(thread);
        }
        worker.control.awaitStop();
        for (Thread thread : threads) {
            thread.join();
        }
        scheduler.shutdownNow();
        lease.close();
        worker.close();
    }

    static IdAllocator attach(FaultWorker worker, IdAllocatorConfig config) {
        while (true) {
            try {
                return RedisIdAllocator.createOrAttach(worker.connect(), config, InstanceIds.generate());
            } catch (RuntimeException e) {
                worker.failed(e);
            }
        }
    }

    private static void generate(
            FaultWorker worker, SnowflakeIdGenerator generator, EventLog.IdSink ids, AtomicBoolean issued) {
        while (!worker.control.isStopped()) {
            try {
                ids.add(generator.nextId());
                if (!issued.get() && issued.compareAndSet(false, true)) {
                    worker.control.print("ISSUED");
                }
            } catch (RuntimeException e) {
                worker.failed(e);
            }
        }
    }

    /** Prints {@code RENEWED <n>} whenever the lease's last confirmed renewal changes. */
    private static final class RenewalReporter implements Runnable {
        private final FaultWorker worker;
        private final WorkerIdLease lease;
        private long seen;
        private long count;

        RenewalReporter(FaultWorker worker, WorkerIdLease lease) {
            this.worker = worker;
            this.lease = lease;
        }

        @Override
        public void run() {
            long last = lease.lastRenewalNanos();
            if (last != seen) {
                seen = last;
                count++;
                worker.log.mark("RENEWED", lease.workerId() + " " + count);
                worker.control.print("RENEWED " + count);
            }
        }
    }
}
