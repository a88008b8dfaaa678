package io.github.idallocator.fault;

import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What the Snowflake fault tests share: the lease timing, the workers' arguments, reading their output. */
final class SnowflakeFaults {

    /** Worker lease: 3 s, renewed every second, the generator stops 0.5 s before the lease's local end. */
    static final Duration TTL = Duration.ofSeconds(3);

    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration MARGIN = Duration.ofMillis(500);

    /**
     * Each clock read of a generator parks this long first: about 5 ids per ms per thread on a busy machine, so a new
     * holder issues ids in nearly every millisecond and a process stopped by SIGSTOP is nearly always stopped there.
     */
    static final int PACE_MICROS = 100;

    static final int THREADS = 2;

    private static final SnowflakeIdGenerator DECODER =
            SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();

    private SnowflakeFaults() {}

    static List<String> arguments(String redis, String allocator, int maxWorker, Duration handover) {
        return FaultWorker.arguments(
                "redis",
                redis,
                "allocator",
                allocator,
                "max-worker",
                maxWorker,
                "ttl-ms",
                TTL.toMillis(),
                "heartbeat-ms",
                HEARTBEAT.toMillis(),
                "margin-ms",
                MARGIN.toMillis(),
                "handover-ms",
                handover.toMillis(),
                "threads",
                THREADS,
                "pace-us",
                PACE_MICROS,
                "timeout-ms",
                1000);
    }

    /** How many times {@code worker} printed {@code ACQUIRED <workerId>}. */
    static long acquisitions(WorkerProcess worker, long workerId) {
        String line = "ACQUIRED " + workerId;
        return worker.outputLines().stream().filter(line::equals).count();
    }

    /** How many times any of {@code workers} printed {@code ACQUIRED <workerId>}. */
    static long acquisitions(Collection<WorkerProcess> workers, long workerId) {
        return workers.stream().mapToLong(w -> acquisitions(w, workerId)).sum();
    }

    /** The worker id {@code worker} acquired first, if any. */
    static Optional<Long> firstWorkerId(WorkerProcess worker) {
        return worker.outputLines().stream()
                .filter(line -> line.startsWith("ACQUIRED "))
                .map(line -> Long.parseLong(line.substring("ACQUIRED ".length())))
                .findFirst();
    }

    /** The worker id {@code worker} acquired last, if any. */
    static Optional<Long> latestWorkerId(WorkerProcess worker) {
        return worker.outputLines().stream()
                .filter(line -> line.startsWith("ACQUIRED "))
                .map(line -> Long.parseLong(line.substring("ACQUIRED ".length())))
                .reduce((first, second) -> second);
    }

    /** How many renewals {@code worker} confirmed so far. */
    static long renewals(WorkerProcess worker) {
        return worker.outputLines().stream()
                .filter(l -> l.startsWith("RENEWED "))
                .count();
    }

    /** The epoch millisecond of the tick {@code id} was issued in. */
    static long timestampMillis(long id) {
        return DECODER.decompose(id).timestamp().toEpochMilli();
    }
}
