package io.github.idallocator.etcd;

import io.etcd.jetcd.Client;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdLease;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.snowflake.WorkerLeaseEvent;
import io.github.idallocator.snowflake.WorkerLeaseSettings;
import io.github.idallocator.test.EventLog;
import io.github.idallocator.test.WorkerControl;
import io.github.idallocator.test.WorkerGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker JVM of {@link EtcdSnowflakeFaultTest}: a Snowflake generator whose worker id is leased from etcd ({@link
 * EtcdWorkerIdStore} through a client of every member), and {@code threads} threads that ask it for ids in a loop, as an
 * application would, logging every id and every exception ({@link EventLog} in the working directory); the loop goes on
 * after an exception.
 *
 * <p>Arguments, {@code key=value}: {@code name=} (the process name in the logs and the owner in etcd), {@code
 * endpoints=} (comma-separated client URLs), {@code namespace=}, {@code max-worker=} (worker ids 0..max), {@code
 * ttl-ms=}, {@code heartbeat-ms=}, {@code margin-ms=}, {@code handover-ms=} ({@link WorkerLeaseSettings}), {@code
 * timeout-ms=} (per etcd request), {@code threads=}, {@code pace-us=} (each clock read of the generator parks this long
 * first: fewer ids to log, and a thread stopped by SIGSTOP is nearly always stopped inside {@code nextId()}), {@code
 * join-on-go=true} (lease a worker id only on the command {@code go}, so that a process started before a fault joins
 * right after it, without a JVM start in between), {@code prefer=} (the worker id to ask for first; without it the
 * lowest free one: a test that scripts which id changes hands does not depend on how long a claim takes). Prints {@code
 * ACQUIRED <worker id>} on every acquisition and {@code ISSUED} after the first id.
 */
public final class EtcdSnowflakeWorker {

    private static final Duration ERROR_BACKOFF = Duration.ofMillis(20);

    private EtcdSnowflakeWorker() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> arguments = WorkerGroup.arguments(args);
        String name = arguments.get("name");
        EventLog log = EventLog.open(name, Path.of("."));
        WorkerControl control = new WorkerControl();
        long paceNanos = TimeUnit.MICROSECONDS.toNanos(number(arguments, "pace-us"));
        SnowflakeIdGenerator generator = SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT)
                .wallClock(() -> {
                    LockSupport.parkNanos(paceNanos);
                    return System.currentTimeMillis();
                })
                .build();
        WorkerLeaseSettings settings = new WorkerLeaseSettings(
                millis(arguments, "ttl-ms"),
                millis(arguments, "heartbeat-ms"),
                millis(arguments, "margin-ms"),
                millis(arguments, "handover-ms"));
        Client client = Client.builder()
                .endpoints(arguments.get("endpoints").split(","))
                .build();
        EtcdWorkerIdStore store = new EtcdWorkerIdStore(
                client,
                arguments.get("namespace"),
                0,
                number(arguments, "max-worker"),
                name,
                millis(arguments, "timeout-ms"));
        WorkerIdStore leased =
                arguments.containsKey("prefer") ? new PreferringStore(store, number(arguments, "prefer")) : store;
        WorkerIdLease lease = new WorkerIdLease(leased, generator, settings, System::currentTimeMillis);
        lease.addListener(event -> {
            log.mark("LEASE-" + event.type(), Long.toString(event.workerId()));
            if (event.type() == WorkerLeaseEvent.Type.ACQUIRED) {
                control.print("ACQUIRED " + event.workerId());
            }
        });
        CountDownLatch go = new CountDownLatch(1);
        control.on("go", words -> go.countDown());
        control.listen();
        control.ready("name=" + name);
        if (Boolean.parseBoolean(arguments.getOrDefault("join-on-go", "false"))) {
            go.await();
            log.mark("GO", "");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        while (!control.isStopped()) {
            try {
                lease.start(scheduler);
                break;
            } catch (RuntimeException e) {
                log.error(e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }

        List<Thread> threads = new ArrayList<>();
        AtomicBoolean issued = new AtomicBoolean();
        for (int i = 0; i < number(arguments, "threads"); i++) {
            EventLog.IdSink ids = log.idSink();
            Thread thread = new Thread(
                    () -> {
                        while (!control.isStopped()) {
                            try {
                                ids.add(generator.nextId());
                                if (!issued.get() && issued.compareAndSet(false, true)) {
                                    control.print("ISSUED");
                                }
                            } catch (RuntimeException e) {
                                log.error(e);
                                LockSupport.parkNanos(ERROR_BACKOFF.toNanos());
                            }
                        }
                    },
                    "generator-" + i);
            thread.start();
            threads.add(thread);
        }
        control.awaitStop();
        for (Thread thread : threads) {
            thread.join();
        }
        scheduler.shutdownNow();
        lease.close();
        log.close();
        client.close();
        System.exit(0);
    }

    private static long number(Map<String, String> arguments, String key) {
        String value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing argument " + key + "=...");
        }
        return Long.parseLong(value);
    }

    private static Duration millis(Map<String, String> arguments, String key) {
        return Duration.ofMillis(number(arguments, key));
    }

    /** A store that asks for {@code preferredId} when the lease has no worker id of its own to ask for. */
    private static final class PreferringStore extends ForwardingWorkerIdStore {
        private final long preferredId;

        PreferringStore(WorkerIdStore store, long preferredId) {
            super(store);
            this.preferredId = preferredId;
        }

        @Override
        public WorkerClaim claim(long preferredId, Duration ttl, String note) {
            return store.claim(preferredId < 0 ? this.preferredId : preferredId, ttl, note);
        }
    }
}
