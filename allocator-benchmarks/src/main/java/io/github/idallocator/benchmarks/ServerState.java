package io.github.idallocator.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Base of the benchmark states that own a private redis-server (the subclass starts it in its trial setup). Around
 * every iteration, warm-up included, it resets the server's counters and then prints, beside the iteration's score,
 * what one operation cost the server and how busy the processors were, so a score taken while other work loaded the
 * machine can be recognised. It stops the server after the trial.
 */
public abstract class ServerState {

    /** EVALSHA calls of one benchmark operation: allocate and free. */
    static final int SCRIPT_CALLS_PER_OPERATION = 2;

    /** The server; set by the subclass's trial setup. */
    protected BenchmarkRedis redis;

    private CpuShares cpu;

    /** Resets the server's counters and starts counting processor time. */
    @Setup(Level.Iteration)
    public void beginIteration() {
        redis.resetCommandStats();
        cpu = CpuShares.start(redis.serverPid());
    }

    /** Prints the server's cost per operation and the processor shares of the iteration. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        String cpuShares = cpu.report();
        System.out.println(System.lineSeparator() + redis.commandStats().summary(SCRIPT_CALLS_PER_OPERATION));
        System.out.println(cpuShares);
    }

    /** Prints the commands one operation ran in the last iteration, and stops the server. */
    @TearDown(Level.Trial)
    public void stopServer() {
        try {
            System.out.println(redis.commandStats().commandsPerOperation(SCRIPT_CALLS_PER_OPERATION));
        } finally {
            redis.close();
        }
    }
}
