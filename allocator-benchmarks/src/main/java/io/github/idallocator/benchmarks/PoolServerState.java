package io.github.idallocator.benchmarks;

/** Base of the pool benchmarks' states: the server's calls per acquire+release after every iteration. */
public abstract class PoolServerState extends CountedOperationsServerState {

    /** Counts acquire+release operations. */
    protected PoolServerState() {
        super("acquire+release");
    }
}
