package io.github.idallocator.lock;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.internal.LeaseClock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A held lock: its name, owner, fencing token and local deadline. Renewed in the background while held; released with
 * {@link #release()} (or {@link #close()}, for try-with-resources) from any thread.
 *
 * <p>{@link #isHeld()} answers from this JVM's monotonic clock: the local deadline is the lease time after the last
 * confirmed renewal (or the acquisition) was <em>sent</em>, so it passes before Redis's expiry, which counts from when
 * the script ran. Before writing anything the lock protects, check {@code isHeld()} and pass {@link #fencingToken()} to
 * the system written to, so that it can refuse a holder that paused past its lease.
 */
public final class LockLease implements AutoCloseable {

    private final RedisLockService service;
    private final String name;
    private final String owner;
    private final long fencingToken;
    private final long waitedNanos;
    private final @Nullable Thread holderThread;
    private final LeaseClock clock;
    private volatile @Nullable ReleaseOutcome outcome;

    LockLease(
            RedisLockService service,
            String name,
            String owner,
            long fencingToken,
            long leaseMillis,
            long sentNanos,
            long waitedNanos,
            @Nullable Thread holderThread) {
        this.service = service;
        this.name = name;
        this.owner = owner;
        this.fencingToken = fencingToken;
        this.waitedNanos = waitedNanos;
        this.clock = new LeaseClock(sentNanos, leaseMillis);
        this.holderThread = holderThread;
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** The lock service's namespace. */
    public String namespace() {
        return service.config().namespace();
    }

    /** The owner id of this lease in Redis (unique per acquisition). */
    public String owner() {
        return owner;
    }

    /**
     * The fencing token: strictly greater than the token of every earlier holder of this lock (see docs/locks.md for
     * when it could repeat), the same for the whole lease, re-entries of a {@code Lock} included.
     */
    public long fencingToken() {
        return fencingToken;
    }

    /** The lease time this lease is renewed to. */
    public Duration leaseTime() {
        return clock.leaseTime();
    }

    /** The {@link System#nanoTime()} value after which {@link #isHeld()} is false unless a renewal is confirmed. */
    public long localDeadlineNanos() {
        return clock.deadlineNanos();
    }

    /** The {@link System#nanoTime()} value when the acquisition was sent. */
    public long acquiredNanos() {
        return clock.acquiredNanos();
    }

    /**
     * How long the acquisition waited for other holders: from its call to the sending of the attempt that was granted;
     * zero when its first attempt was granted.
     */
    public Duration waited() {
        return Duration.ofNanos(waitedNanos);
    }

    /**
     * Whether the holder can still rely on the lock: not released, not lost, and the local deadline not passed. Once
     * false, it stays false.
     */
    public boolean isHeld() {
        return clock.isHeld();
    }

    /** Time left until the local deadline (zero once passed, released or lost). */
    public Duration remaining() {
        return clock.remaining();
    }

    /**
     * Ends the lease: stops its renewal and releases the lock in Redis unless it changed hands. Idempotent: once Redis
     * answered, later calls return the same outcome without a Redis call; a call whose reply was lost may be retried
     * and learns the outcome of the first (with a token retention above zero) without touching another holder's lease.
     *
     * @throws io.github.idallocator.RedisUnavailableException when Redis cannot be reached (the lease is no longer
     *     renewed and expires by itself; retrying the release can help)
     */
    public ReleaseOutcome release() {
        ReleaseOutcome known = outcome;
        if (known != null) {
            return known;
        }
        return service.release(this);
    }

    /**
     * Like {@link #release()}, but throws unless the outcome is {@link ReleaseOutcome#RELEASED}.
     *
     * @throws LockLostException when the lease had expired, or another owner holds the lock
     */
    public void releaseOrThrow() {
        ReleaseOutcome result = release();
        if (result != ReleaseOutcome.RELEASED) {
            throw new LockLostException("Lock '" + name + "' of namespace '" + namespace() + "' (token "
                    + fencingToken + ") was not held any more when released: " + result + ". The work done under it "
                    + "since its lease ended was not protected; its fencing token lets downstream systems refuse it");
        }
    }

    /** {@link #release()}, for try-with-resources. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "LockLease[" + namespace() + "/" + name + " owner=" + owner + " token=" + fencingToken + " "
                + (isHeld()
                        ? "held, " + remaining().toMillis() + " ms left"
                        : clock.state().name().toLowerCase(java.util.Locale.ROOT))
                + "]";
    }

    LeaseClock clock() {
        return clock;
    }

    @Nullable
    Thread holderThread() {
        return holderThread;
    }

    void outcome(ReleaseOutcome result) {
        this.outcome = result;
    }
}
