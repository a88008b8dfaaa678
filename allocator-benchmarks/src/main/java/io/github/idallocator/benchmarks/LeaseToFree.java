package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lease a benchmark thread took in the current invocation, freed by a per-invocation teardown: outside the timed
 * call, so a benchmark can time {@code allocate()} alone and still leave the range as it found it.
 */
@State(Scope.Thread)
public class LeaseToFree {

    private IdAllocator allocator;
    private Lease lease;

    /** Remembers the lease to free after this invocation; returns it. */
    Lease hold(IdAllocator from, Lease taken) {
        this.allocator = from;
        this.lease = taken;
        return taken;
    }

    /** Frees the held lease, outside the timed call. */
    @TearDown(Level.Invocation)
    public void free() {
        if (lease != null && !allocator.free(lease)) {
            throw new IllegalStateException("free(" + lease + ") found no lease");
        }
        lease = null;
    }
}
