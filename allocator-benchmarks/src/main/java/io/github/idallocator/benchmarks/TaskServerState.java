package io.github.idallocator.benchmarks;

import java.util.Locale;

/**
 * Base of the task queue benchmarks' states: after every iteration the server's calls per task (counted by the state
 * once a task is completed or acknowledged) and how many client connections the server accepted in the iteration (Spring
 * Data Redis opens a dedicated connection for every blocking stream read when its connection factory is not pooled).
 */
public abstract class TaskServerState extends CountedOperationsServerState {

    /** Counts finished tasks. */
    protected TaskServerState() {
        super("task");
    }

    @Override
    protected String iterationSummary(CommandStats stats) {
        return super.iterationSummary(stats)
                + String.format(
                        Locale.ROOT,
                        "%nserver: %s client connections accepted in this iteration",
                        redis.infoField("stats", "total_connections_received"));
    }
}
