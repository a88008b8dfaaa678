package io.github.idallocator.benchmarks;

/** Base of the lock benchmarks' states: the server's calls per lock+unlock after every iteration. */
public abstract class LockServerState extends CountedOperationsServerState {

    /** Counts lock+unlock operations. */
    protected LockServerState() {
        super("lock+unlock");
    }
}
