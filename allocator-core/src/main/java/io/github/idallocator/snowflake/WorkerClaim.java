package io.github.idallocator.snowflake;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A worker id claimed from a {@link WorkerIdStore}.
 *
 * @param workerId the worker id
 * @param owner the instance id of the holder
 * @param fencingToken strictly increasing with every claim of the store
 * @param expiresAt when the store ends the claim unless renewed, by its own clock; {@code null}: never
 * @param localDeadlineNanos {@link System#nanoTime()} value after which the holder can no longer prove it holds the
 *     claim: measured from before the request that granted or renewed it was sent
 * @param previousNote the note the worker id's previous holder left; {@code null} when there was none
 * @param handle what the store needs to renew or release the claim (a range-allocator lease, an etcd lease and
 *     revision, ...)
 */
public record WorkerClaim(
        long workerId,
        String owner,
        long fencingToken,
        @Nullable Instant expiresAt,
        long localDeadlineNanos,
        @Nullable String previousNote,
        Object handle) {

    /** Whether the holder can still prove it holds the claim, by this JVM's monotonic clock. */
    public boolean isHeld() {
        return System.nanoTime() - localDeadlineNanos < 0;
    }
}
