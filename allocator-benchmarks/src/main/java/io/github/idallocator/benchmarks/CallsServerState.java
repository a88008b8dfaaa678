package io.github.idallocator.benchmarks;

/**
 * Base of the states of the Snowflake, worker-id and sequence benchmarks. Their operations are not a fixed number of
 * EVALSHA calls (an id from a local segment or a Snowflake id costs no Redis command at all), so around every iteration
 * it prints the server's calls per command ({@link CommandStats#callsSummary()}) rather than a cost per operation, and
 * nothing per operation after the trial.
 */
public abstract class CallsServerState extends ServerState {

    @Override
    protected String iterationSummary(CommandStats stats) {
        return stats.callsSummary();
    }

    @Override
    protected String trialSummary(CommandStats stats) {
        return "";
    }
}
