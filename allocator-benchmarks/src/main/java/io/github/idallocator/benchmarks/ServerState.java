package io.github.idallocator.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Base of the benchmark states that own a private redis-server (the subclass starts it in its trial setup and may close
 * its clients in {@link #closeClients()}). Around every iteration, warm-up included, it resets the server's counters
 * and then prints, beside the iteration's score, what one operation cost the server ({@link #iterationSummary}) and how
 * busy the processors were, so a score taken while other work loaded the machine can be recognised. It stops the
 * server after the trial.
 */
public abstract class ServerState {

    /** EVALSHA calls of one range benchmark operation: allocate and free. */
    static final int SCRIPT_CALLS_PER_OPERATION = 2;

    /** The server; set by the subclass's trial setup. */
    protected BenchmarkRedis redis;

    private CpuShares cpu;

    /** Resets the server's counters and starts counting processor time. */
    @Setup(Level.Iteration)
    public void beginIteration() {
        prepareIteration();
        redis.resetCommandStats();
        cpu = CpuShares.start(redis.serverPid());
    }

    /**
     * Runs before the server's counters are reset at the start of every iteration: work that must not count as the
     * iteration's (such as tasks submitted ahead); nothing by default.
     */
    protected void prepareIteration() {}

    /** Prints the server's side of the iteration and the processor shares. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        String cpuShares = cpu.report();
        System.out.println(System.lineSeparator() + iterationSummary(redis.commandStats()));
        System.out.println(cpuShares);
    }

    /** Prints the trial's closing summary, closes the subclass's clients, and stops the server. */
    @TearDown(Level.Trial)
    public void stopServer() {
        try {
            String summary = trialSummary(redis.commandStats());
            if (!summary.isEmpty()) {
                System.out.println(summary);
            }
            closeClients();
        } finally {
            redis.close();
        }
    }

    /** The server's side of one iteration: by default its time and commands per allocate+free operation. */
    protected String iterationSummary(CommandStats stats) {
        return stats.summary(SCRIPT_CALLS_PER_OPERATION);
    }

    /** Printed once after the last iteration: by default the commands one operation ran inside the scripts. */
    protected String trialSummary(CommandStats stats) {
        return stats.commandsPerOperation(SCRIPT_CALLS_PER_OPERATION);
    }

    /** Closes what the subclass opened on the server (leases, clients); nothing by default. */
    protected void closeClients() {}
}
