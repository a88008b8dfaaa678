package io.github.idallocator.range;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One allocation: the ids {@code [firstId, lastId]} held by {@code owner} until {@code expiresAt} (Redis server time;
 * {@code null} when the lease never expires).
 *
 * <p>The fencing token increases strictly with every lease the allocator hands out: pass it to the systems you protect so
 * they can refuse a stale holder. {@link #isHeld()} answers from this JVM's monotonic clock whether the holder can still
 * prove it holds the lease: the local deadline starts before the request was sent, so it passes before the server's.
 *
 * @param allocator the allocator's name
 * @param keyPrefix the allocator's key prefix (with the name, it identifies the allocator)
 * @param firstId the first id of the lease
 * @param lastId the last id of the lease (equal to {@code firstId} for a single id)
 * @param owner the instance id of the holder
 * @param fencingToken strictly increasing per allocator
 * @param expiresAt when Redis reclaims the lease, by its own clock; {@code null}: never
 * @param localDeadlineNanos {@link System#nanoTime()} value after which {@link #isHeld()} is false
 * @param previousNote the note the id's previous holder left with it ({@link IdAllocator#free(Lease, String)}),
 *     read when this lease was handed out or listed ({@link IdAllocator#allocatedIds}); {@code null} when there was
 *     none or the lease was neither just handed out nor listed
 */
public record Lease(
        String allocator,
        String keyPrefix,
        long firstId,
        long lastId,
        String owner,
        long fencingToken,
        @Nullable Instant expiresAt,
        long localDeadlineNanos,
        @Nullable String previousNote) {

    /**
     * A lease of an allocator under the default key prefix, without a previous note: for callers that rebuild a lease
     * they stored (the allocator still checks owner and fencing token in Redis).
     */
    public Lease(
            String allocator,
            long firstId,
            long lastId,
            String owner,
            long fencingToken,
            @Nullable Instant expiresAt,
            long localDeadlineNanos) {
        this(
                allocator,
                IdAllocatorConfig.DEFAULT_KEY_PREFIX,
                firstId,
                lastId,
                owner,
                fencingToken,
                expiresAt,
                localDeadlineNanos,
                null);
    }

    /** The lease's (first) id. */
    public long id() {
        return firstId;
    }

    /** How many ids the lease holds. */
    public long count() {
        return lastId - firstId + 1;
    }

    /** Whether the lease holds {@code id}. */
    public boolean contains(long id) {
        return id >= firstId && id <= lastId;
    }

    /** Whether the holder can still rely on the lease, by the local monotonic clock. Always true without expiry. */
    public boolean isHeld() {
        return expiresAt == null || System.nanoTime() - localDeadlineNanos < 0;
    }

    /** Time left by the local monotonic clock (zero once passed); {@code null} for a lease that never expires. */
    public @Nullable Duration remaining() {
        if (expiresAt == null) {
            return null;
        }
        long left = localDeadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
