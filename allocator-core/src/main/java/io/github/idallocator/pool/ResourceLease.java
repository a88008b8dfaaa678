package io.github.idallocator.pool;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.internal.LeaseClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A lease on one resource of a pool: its name, owner, fencing token and local deadline. Renewed in the background while
 * held (unless acquired without renewal); released with {@link #release()} (or {@link #close()}, for
 * try-with-resources) from any thread. {@link #renew()} and {@link #release()} go through the pool the lease was
 * acquired from: a decorator ({@link ForwardingResourcePool}) sees them as it sees its own {@code renew} and {@code
 * release} calls.
 *
 * <p>{@link #isHeld()} answers from this JVM's monotonic clock: the local deadline is the lease time after the last
 * confirmed renewal (or the acquisition) was <em>sent</em>, so it passes before Redis's expiry, which counts from when
 * the script ran. Before using the resource, check {@code isHeld()}, and pass {@link #fencingToken()} to systems that can
 * refuse a holder that paused past its lease.
 */
public final class ResourceLease implements AutoCloseable {

    private final RedisResourcePool pool;
    /** The pool {@link #renew()} and {@link #release()} call: the outermost decorator the lease was acquired through. */
    private volatile ResourcePool front;

    private final String resource;
    private final String owner;
    private final long fencingToken;
    private final boolean boundHit;
    private final long waitedNanos;
    private final boolean autoRenew;
    private final LeaseClock clock;
    private volatile Instant expiresAt;
    private volatile @Nullable ReleaseOutcome outcome;
    private volatile boolean releaseSent;

    ResourceLease(
            RedisResourcePool pool,
            String resource,
            String owner,
            long fencingToken,
            Instant expiresAt,
            boolean boundHit,
            long leaseMillis,
            long sentNanos,
            long waitedNanos,
            boolean autoRenew) {
        this.pool = pool;
        this.front = pool;
        this.resource = resource;
        this.owner = owner;
        this.fencingToken = fencingToken;
        this.expiresAt = expiresAt;
        this.boundHit = boundHit;
        this.waitedNanos = waitedNanos;
        this.autoRenew = autoRenew;
        this.clock = new LeaseClock(sentNanos, leaseMillis);
    }

    /** The resource's name. */
    public String resource() {
        return resource;
    }

    /** The pool's name. */
    public String pool() {
        return pool.name();
    }

    /** The owner id of this lease in Redis (this instance's id, a colon and a counter; unique per acquisition). */
    public String owner() {
        return owner;
    }

    /**
     * The fencing token: strictly greater than the token of every earlier lease of this resource (see docs/pools.md for
     * when it could repeat), the same for the whole lease.
     */
    public long fencingToken() {
        return fencingToken;
    }

    /**
     * When Redis expires the lease unless it is renewed, by Redis server time, as of the last grant or renewal this
     * instance saw.
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether the acquisition asked for a binding and got the resource bound to it. */
    public boolean boundHit() {
        return boundHit;
    }

    /** How long the acquisition waited for other holders; zero when its first attempt was granted. */
    public Duration waited() {
        return Duration.ofNanos(waitedNanos);
    }

    /** Whether the lease is renewed in the background while held. */
    public boolean autoRenew() {
        return autoRenew;
    }

    /** The lease time renewals extend the lease to. */
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
     * Whether the holder can still rely on the resource: not released, not lost, and the local deadline not passed.
     * Once false, it stays false.
     */
    public boolean isHeld() {
        return clock.isHeld();
    }

    /** Time left until the local deadline (zero once passed, released or lost). */
    public Duration remaining() {
        return clock.remaining();
    }

    /**
     * {@link ResourcePool#renew(ResourceLease, Duration)} with this lease's lease time, on the pool it was acquired
     * from (through its decorators).
     */
    public boolean renew() {
        return front.renew(this, leaseTime());
    }

    /** {@link ResourcePool#release(ResourceLease)} on the pool it was acquired from (through its decorators). */
    public ReleaseOutcome release() {
        return front.release(this);
    }

    /**
     * {@link ResourcePool#release(ResourceLease, Unhealthy)} on the pool it was acquired from (through its
     * decorators).
     */
    public ReleaseOutcome release(Unhealthy unhealthy) {
        return front.release(this, unhealthy);
    }

    /** {@link #release()}, for try-with-resources. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "ResourceLease[" + pool() + "/" + resource + " owner=" + owner + " token=" + fencingToken + " "
                + (isHeld()
                        ? "held, " + remaining().toMillis() + " ms left"
                        : clock.state().name().toLowerCase(Locale.ROOT))
                + "]";
    }

    LeaseClock clock() {
        return clock;
    }

    RedisResourcePool owningPool() {
        return pool;
    }

    /** Makes {@link #renew()} and {@link #release()} go through {@code decorator}, which forwards to the pool. */
    void routeThrough(ResourcePool decorator) {
        this.front = decorator;
    }

    @Nullable
    ReleaseOutcome outcome() {
        return outcome;
    }

    void outcome(ReleaseOutcome result) {
        this.outcome = result;
    }

    void expiresAt(Instant value) {
        this.expiresAt = value;
    }

    /** Whether a release of this lease was sent before (its reply may have been lost). */
    boolean releaseSent() {
        return releaseSent;
    }

    void releaseSent(boolean value) {
        this.releaseSent = value;
    }
}
