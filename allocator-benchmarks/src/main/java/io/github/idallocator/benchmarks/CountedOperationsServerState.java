package io.github.idallocator.benchmarks;

import java.util.concurrent.atomic.LongAdder;

/**
 * Base of the states of benchmarks whose implementations run different Redis commands for one operation (EVALSHA or
 * EVAL, plain commands, PUBLISH), so that a fixed number of EVALSHA per operation does not describe them: it counts
 * the operations of the benchmark threads, and after every iteration prints the server's calls per operation ({@link
 * CommandStats#perOperation}).
 */
public abstract class CountedOperationsServerState extends ServerState {

    private final LongAdder operations = new LongAdder();
    private final String operation;

    /** @param operation what one operation is, for the output, such as {@code "lock+unlock"} */
    protected CountedOperationsServerState(String operation) {
        this.operation = operation;
    }

    /** Counts one operation; called by the benchmark method once the operation is complete. */
    void counted() {
        operations.increment();
    }

    @Override
    protected String iterationSummary(CommandStats stats) {
        return stats.perOperation(operations.sumThenReset(), operation);
    }

    @Override
    protected String trialSummary(CommandStats stats) {
        return "";
    }
}
