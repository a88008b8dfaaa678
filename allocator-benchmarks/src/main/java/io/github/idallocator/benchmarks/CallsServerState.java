package io.github.idallocator.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Base of the states of the Snowflake and sequence benchmarks that own a private redis-server (the subclass starts it
 * in its trial setup and may close its clients in {@link #closeClients()}). Their operations are not a fixed number of
 * EVALSHA calls (an id from a local segment or a Snowflake id costs no Redis command at all), so around every
 * iteration it prints the server's calls per command ({@link CommandStats#callsSummary()}) rather than a cost per
 * operation, and the processor shares ({@link CpuShares}). It stops the server after the trial.
 */
public abstract class CallsServerState {

    /** The server; set by the subclass's trial setup. */
    protected BenchmarkRedis redis;

    private CpuShares cpu;

    /** Resets the server's counters and starts counting processor time. */
    @Setup(Level.Iteration)
    public void beginIteration() {
        redis.resetCommandStats();
        cpu = CpuShares.start(redis.serverPid());
    }

    /** Prints the server's calls and the processor shares of the iteration. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        String cpuShares = cpu.report();
        System.out.println(System.lineSeparator() + redis.commandStats().callsSummary());
        System.out.println(cpuShares);
    }

    /** Closes the subclass's clients, then stops the server. */
    @TearDown(Level.Trial)
    public void stopServer() {
        try {
            closeClients();
        } finally {
            redis.close();
        }
    }

    /** Closes what the subclass opened on the server (leases, clients); nothing by default. */
    protected void closeClients() {}
}
