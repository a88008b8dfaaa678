package io.github.idallocator.internal;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The self-fencing part of a lease that every leased primitive shares (a lock's, a pool resource's): where the lease is
 * in its life and its local deadline by this JVM's monotonic clock. The deadline is the lease time after the last
 * confirmed grant or renewal was <em>sent</em>, so it passes before Redis's expiry, which counts from when the script
 * ran.
 */
public final class LeaseClock {

    /** Where a lease is in its life. */
    public enum State {
        /** Granted, not released, not known to be lost. */
        HELD,
        /** Its release was sent. */
        RELEASING,
        /** Lost: a renewal was refused, or none was confirmed by the deadline. */
        LOST
    }

    /** The shortest lease time of any leased primitive: {@value} ms (renewals every third of it must fit in it). */
    public static final long MIN_LEASE_MILLIS = 30;

    /** The longest lease time of any leased primitive: 1 day. */
    public static final Duration MAX_LEASE_TIME = Duration.ofDays(1);

    private final long acquiredNanos;
    private volatile long leaseMillis;
    private volatile State state = State.HELD;
    private volatile long deadlineNanos;
    private volatile long nextCheckNanos;

    /** A lease granted by a call sent at {@code sentNanos} ({@link System#nanoTime()}) for {@code leaseMillis}. */
    public LeaseClock(long sentNanos, long leaseMillis) {
        this.acquiredNanos = sentNanos;
        this.leaseMillis = leaseMillis;
        this.deadlineNanos = sentNanos + Duration.ofMillis(leaseMillis).toNanos();
    }

    /**
     * Checks a lease time: {@value #MIN_LEASE_MILLIS} ms to 1 day.
     *
     * @param what the setting or argument, {@code leaseTime}
     * @param owner what it configures, for messages
     * @param example the fix's example, such as {@code PT30S (the default)}
     * @param pauses what the lease must outlast, for the fix, such as {@code the critical section}
     * @return the lease time in milliseconds
     * @throws io.github.idallocator.InvalidArgumentException naming {@code what}
     */
    public static long requireLeaseTime(
            String what, @Nullable Duration leaseTime, String owner, String example, String pauses) {
        Checks.requireBetween(
                what,
                leaseTime,
                Duration.ofMillis(MIN_LEASE_MILLIS),
                MAX_LEASE_TIME,
                owner,
                "use a duration such as " + example + ", longer than " + pauses + " may pause (GC, CPU starvation)");
        return Objects.requireNonNull(leaseTime).toMillis();
    }

    /** Whether the lease is held and its local deadline has not passed. Once false, it stays false. */
    public boolean isHeld() {
        return state == State.HELD && System.nanoTime() - deadlineNanos < 0;
    }

    /** Time left until the local deadline (zero once passed, released or lost). */
    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return state == State.HELD && left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The {@link System#nanoTime()} value after which the lease is not held unless a renewal is confirmed. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** The {@link System#nanoTime()} value when the grant was sent. */
    public long acquiredNanos() {
        return acquiredNanos;
    }

    /** The lease time renewals extend the lease to. */
    public Duration leaseTime() {
        return Duration.ofMillis(leaseMillis);
    }

    /** Where the lease is in its life. */
    public State state() {
        return state;
    }

    /** Moves from {@code from} to {@code to}; false (and no change) when the lease is not in {@code from}. */
    public synchronized boolean changeState(State from, State to) {
        if (state != from) {
            return false;
        }
        state = to;
        return true;
    }

    /** Records a renewal confirmed by Redis, sent at {@code sentNanos}; the deadline never moves back. */
    public void renewed(long sentNanos) {
        long next = sentNanos + Duration.ofMillis(leaseMillis).toNanos();
        if (next - deadlineNanos > 0) {
            deadlineNanos = next;
        }
    }

    /**
     * Records a renewal to a new lease time, confirmed by Redis, sent at {@code sentNanos}: the deadline is the new
     * lease time after it, earlier than before when the new lease time is shorter.
     */
    public synchronized void renewedTo(long sentNanos, long newLeaseMillis) {
        leaseMillis = newLeaseMillis;
        deadlineNanos = sentNanos + Duration.ofMillis(newLeaseMillis).toNanos();
    }

    /** When the lease is next renewed or checked ({@link RenewalSweeper}). */
    long nextCheckNanos() {
        return nextCheckNanos;
    }

    void nextCheckNanos(long atNanos) {
        this.nextCheckNanos = atNanos;
    }
}
