package io.github.idallocator.fault;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.test.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A process taking ids from a segment sequence: {@code threads} threads call {@link SequenceAllocator#next()} in a loop,
 * each parking {@code pace-us} between calls, and log every id; every exception is logged and the loop goes on.
 *
 * <p>Arguments (besides {@link FaultWorker}'s): {@code sequence=}, {@code step=}, {@code recovery-ms=}, {@code
 * threads=}, {@code pace-us=}. Prints {@code ISSUED} after its first id.
 */
public final class SequenceWorker {

    private SequenceWorker() {}

    public static void main(String[] args) throws InterruptedException {
        FaultWorker worker = FaultWorker.of(args);
        SequenceConfig config = SequenceConfig.builder(worker.required("sequence"))
                .step((int) worker.number("step"))
                .recoveryPeriod(worker.millis("recovery-ms"))
                .build();
        SequenceAllocator sequence = RedisSequenceAllocator.create(worker.connect(), config);
        worker.readyAndAwaitGo();
        long paceNanos = worker.number("pace-us") * 1000;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < worker.number("threads"); i++) {
            EventLog.IdSink ids = worker.log.idSink();
            Thread thread = new Thread(
                    () -> {
                        boolean first = true;
                        while (!worker.control.isStopped()) {
                            try {
                                ids.add(sequence.next());
                                if (first) {
                                    first = false;
                                    worker.control.print("ISSUED");
                                }
                                LockSupport.parkNanos(paceNanos);
                            } catch (RuntimeException e) {
                                worker.failed(e);
                            }
                        }
                    },
                    "sequence-" + i);
            thread.start();
            threads.add(thread);
        }
        worker.control.awaitStop();
        for (Thread thread : threads) {
            thread.join();
        }
        worker.close();
    }
}
