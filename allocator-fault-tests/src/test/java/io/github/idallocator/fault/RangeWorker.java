package io.github.idallocator.fault;

import io.github.idallocator.NotOwnerException;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A process holding range leases as a careful user would: it keeps up to {@code holds} single-id leases, renews each
 * every third of its lease time, relies on a lease only while {@link Lease#isHeld()}, and frees each after a random
 * time. Logs {@code HOLD} when an allocation is confirmed, {@code RENEW} per confirmed renewal, {@code END} when it
 * stops relying on a lease (before freeing it, when a renewal is refused, or once {@code isHeld()} is false).
 *
 * <p>Arguments (besides {@link FaultWorker}'s): {@code allocator=}, {@code min=}, {@code max=}, {@code ttl-ms=}, {@code
 * recovery-ms=}, {@code replica-acks=}, {@code ack-timeout-ms=}, {@code holds=}, {@code hold-min-ms=}, {@code
 * hold-max-ms=}. Prints {@code HELD <n>} after its first confirmed allocation.
 */
public final class RangeWorker {

    private static final Duration TICK = Duration.ofMillis(10);

    private RangeWorker() {}

    public static void main(String[] args) {
        FaultWorker worker = FaultWorker.of(args);
        Duration ttl = worker.millis("ttl-ms");
        String name = worker.required("allocator");
        IdAllocatorConfig.Builder config = IdAllocatorConfig.builder(name, worker.number("min"), worker.number("max"))
                .defaultTtl(ttl)
                .reuseDelay(Duration.ZERO)
                .recoveryPeriod(worker.millis("recovery-ms"))
                .replicaAcks((int) worker.number("replica-acks", 0));
        if (worker.number("ack-timeout-ms", 0) > 0) {
            config.replicaAckTimeout(worker.millis("ack-timeout-ms"));
        }
        IdAllocator allocator = SnowflakeWorker.attach(worker, config.build());
        long renewEvery = ttl.toNanos() / 3;
        long holdMin = worker.millis("hold-min-ms").toNanos();
        long holdMax = worker.millis("hold-max-ms").toNanos();
        int maxHolds = (int) worker.number("holds");
        List<Held> held = new ArrayList<>();
        long acquired = 0;
        worker.readyAndAwaitGo();

        while (!worker.control.isStopped()) {
            long now = System.nanoTime();
            for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (!h.lease.isHeld()) {
                    worker.log.end(name, h.lease.id(), h.lease.fencingToken(), "not-held");
                    it.remove();
                } else if (now - h.releaseAt >= 0) {
                    worker.log.end(name, h.lease.id(), h.lease.fencingToken(), "freed");
                    it.remove();
                    try {
                        allocator.free(h.lease);
                    } catch (RuntimeException e) {
                        worker.failed(e);
                    }
                } else if (now - h.renewedAt >= renewEvery) {
                    long sent = System.nanoTime();
                    try {
                        Lease renewed = allocator.extendTtl(h.lease, ttl);
                        if (renewed.fencingToken() != h.lease.fencingToken()) {
                            // Re-registered under a new token: to the logs, a new hold.
                            worker.log.end(name, h.lease.id(), h.lease.fencingToken(), "token-changed");
                            worker.log.hold(name, renewed.id(), renewed.fencingToken(), renewed.localDeadlineNanos());
                        } else {
                            worker.log.renew(name, renewed.id(), renewed.fencingToken(), renewed.localDeadlineNanos());
                        }
                        h.lease = renewed;
                        h.renewedAt = sent;
                    } catch (NotOwnerException e) {
                        worker.log.end(name, h.lease.id(), h.lease.fencingToken(), "refused");
                        it.remove();
                        worker.failed(e);
                    } catch (RuntimeException e) {
                        worker.failed(e); // still ours until isHeld() says otherwise
                    }
                }
            }
            if (held.size() < maxHolds) {
                long sent = System.nanoTime();
                try {
                    Lease lease = allocator.allocate();
                    worker.log.hold(name, lease.id(), lease.fencingToken(), lease.localDeadlineNanos());
                    long holdFor = ThreadLocalRandom.current().nextLong(holdMin, holdMax + 1);
                    held.add(new Held(lease, sent, System.nanoTime() + holdFor));
                    if (++acquired == 1) {
                        worker.control.print("HELD 1");
                    }
                } catch (RuntimeException e) {
                    worker.failed(e);
                }
            }
            FaultWorker.pause(TICK);
        }
        for (Held h : held) {
            worker.log.end(name, h.lease.id(), h.lease.fencingToken(), "stopped");
            try {
                allocator.free(h.lease);
            } catch (RuntimeException e) {
                worker.log.error(e);
            }
        }
        worker.close();
    }

    private static final class Held {
        Lease lease;
        long renewedAt;
        final long releaseAt;

        Held(Lease lease, long renewedAt, long releaseAt) {
            this.lease = lease;
            this.renewedAt = renewedAt;
            this.releaseAt = releaseAt;
        }
    }
}
