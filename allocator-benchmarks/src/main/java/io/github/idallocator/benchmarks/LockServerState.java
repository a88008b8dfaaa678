package io.github.idallocator.benchmarks;

import java.util.concurrent.atomic.LongAdder;

/**
 * Base of the lock benchmarks' states: counts the lock+unlock operations of the benchmark threads, so that after every
 * iteration the server's calls per operation can be printed ({@link CommandStats#perOperation}): the implementations
 * run different commands for one lock+unlock (EVALSHA or EVAL, plain commands, PUBLISH), so a fixed number of EVALSHA
 * per operation does not describe them.
 */
public abstract class LockServerState extends ServerState {

    private final LongAdder operations = new LongAdder();

    /** Counts one lock+unlock; called by the benchmark method after the unlock. */
    void counted() {
        operations.increment();
    }

    @Override
    protected String iterationSummary(CommandStats stats) {
        return stats.perOperation(operations.sumThenReset(), "lock+unlock");
    }

    @Override
    protected String trialSummary(CommandStats stats) {
        return "";
    }
}
