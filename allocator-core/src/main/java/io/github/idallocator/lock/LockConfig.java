package io.github.idallocator.lock;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.range.IdAllocatorConfig;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of one {@link LockService} (one namespace of locks); every value is checked here, before Redis is
 * touched.
 *
 * @param namespace the namespace's name, part of every lock key ({@code [A-Za-z0-9._-]}, 1 to 100 characters); locks of
 *     different namespaces never meet
 * @param keyPrefix first part of the keys
 * @param leaseTime how long a lock is held without renewal, by Redis server time ({@value #MIN_LEASE_MILLIS} ms to 1
 *     day); a held lock is renewed every third of it, and {@link LockLease#isHeld()} turns false when a renewal was not
 *     confirmed within it
 * @param waitPollBound the longest a waiter sleeps between two attempts (1 ms to 1 minute): what a lost wake-up message
 *     costs at most
 * @param tokenRetention how long a released lock keeps its fencing token in Redis (a small hash without owner), so that
 *     tokens increase even if the Redis clock steps back meanwhile; zero deletes the hash on release (tokens then rely
 *     on the Redis clock alone; a retried release learns {@code ALREADY_EXPIRED} instead of {@code RELEASED})
 * @param maxHoldTime renewal stops once a lease is this old, so a holder that never releases loses the lock one lease
 *     time later; zero: no limit
 * @param replicaAcks how many replicas must confirm each acquisition and renewal (Redis {@code WAIT}) before it counts;
 *     zero does not wait
 * @param replicaAckTimeout how long to wait for those confirmations
 */
public record LockConfig(
        String namespace,
        String keyPrefix,
        Duration leaseTime,
        Duration waitPollBound,
        Duration tokenRetention,
        Duration maxHoldTime,
        int replicaAcks,
        Duration replicaAckTimeout) {

    /** Default namespace: {@value}. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** Default lease time: 30 seconds (renewed every 10 s while held). */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

    /** Default wait poll bound: 250 ms. */
    public static final Duration DEFAULT_WAIT_POLL_BOUND = Duration.ofMillis(250);

    /** Default token retention: 1 hour. */
    public static final Duration DEFAULT_TOKEN_RETENTION = Duration.ofHours(1);

    /** The shortest lease time: {@value} ms (renewals every third of it must fit in it). */
    public static final long MIN_LEASE_MILLIS = LeaseClock.MIN_LEASE_MILLIS;

    /** The longest lock name: {@value} characters. */
    public static final int MAX_LOCK_NAME_LENGTH = 200;

    private static final Pattern LOCK_NAME = Pattern.compile("[^{}\\s\\p{Cntrl}]{1," + MAX_LOCK_NAME_LENGTH + "}");

    /** The longest lease time and maximum hold time: 1 day. */
    public static final Duration MAX_LEASE_TIME = LeaseClock.MAX_LEASE_TIME;

    /** The longest wait timeout an acquisition accepts: 365 days. */
    public static final Duration MAX_WAIT_TIMEOUT = Duration.ofDays(365);

    /** The longest wait poll bound: 1 minute. */
    public static final Duration MAX_WAIT_POLL_BOUND = Duration.ofMinutes(1);

    /** The longest token retention: 7 days. */
    public static final Duration MAX_TOKEN_RETENTION = Duration.ofDays(7);

    /**
     * Checks every value; the {@link InvalidArgumentException} names the setting, its value and what would be
     * accepted.
     */
    public LockConfig {
        IdAllocatorConfig.requireName(namespace, "lock namespace");
        IdAllocatorConfig.requireKeyPrefix(keyPrefix);
        String owner = "lock namespace '" + namespace + "'";
        requireLeaseTime("leaseTime", leaseTime, owner);
        Checks.requireBetween(
                "waitPollBound",
                waitPollBound,
                Duration.ofMillis(1),
                MAX_WAIT_POLL_BOUND,
                owner,
                "use a duration such as " + DEFAULT_WAIT_POLL_BOUND + " (the default)");
        Checks.requireBetween(
                "tokenRetention",
                tokenRetention,
                Duration.ZERO,
                MAX_TOKEN_RETENTION,
                owner,
                "use a duration such as " + DEFAULT_TOKEN_RETENTION + " (the default), or zero to delete a lock's hash "
                        + "on release");
        Checks.requireBetween(
                "maxHoldTime",
                maxHoldTime,
                Duration.ZERO,
                MAX_LEASE_TIME,
                owner,
                "use zero (no limit, the default) or the longest time a critical section may take");
        IdAllocatorConfig.requireReplicaAcks(replicaAcks, replicaAckTimeout, owner);
    }

    /**
     * Checks a lock name: 1 to {@value #MAX_LOCK_NAME_LENGTH} characters, none of them a brace (the name is the Redis
     * Cluster hash tag of the lock's key), whitespace or a control character.
     *
     * @throws InvalidArgumentException for the argument {@code name}
     */
    static String requireLockName(@Nullable String name, String namespace) {
        if (name == null || !LOCK_NAME.matcher(name).matches()) {
            throw new InvalidArgumentException(
                    "name",
                    name,
                    "lock name " + (name == null ? "null" : "'" + name + "'") + " of lock namespace '" + namespace
                            + "' is invalid: it must be 1 to " + MAX_LOCK_NAME_LENGTH + " characters without braces "
                            + "(they would break the Redis Cluster hash tag of its key), whitespace or control "
                            + "characters",
                    "use a name such as orders-42 or jobs/nightly-report");
        }
        return name;
    }

    /**
     * Checks a lease time: {@value #MIN_LEASE_MILLIS} ms to 1 day, in whole milliseconds' worth.
     *
     * @param what the setting or argument, {@code leaseTime}
     * @param owner what it configures, for messages
     * @return the lease time in milliseconds
     * @throws InvalidArgumentException naming {@code what}
     */
    static long requireLeaseTime(String what, @Nullable Duration leaseTime, String owner) {
        return LeaseClock.requireLeaseTime(
                what, leaseTime, owner, DEFAULT_LEASE_TIME + " (the default)", "the critical section");
    }

    /** A builder with the defaults for everything. */
    public static Builder builder() {
        return new Builder(DEFAULT_NAMESPACE);
    }

    /** A builder with the defaults for everything but the namespace. */
    public static Builder builder(String namespace) {
        return new Builder(namespace);
    }

    /** The time between two renewals of a held lock: a third of the lease time. */
    public Duration renewalInterval() {
        return leaseTime.dividedBy(3);
    }

    /** Builds a {@link LockConfig}. */
    public static final class Builder {
        private final String namespace;
        private String keyPrefix = IdAllocatorConfig.DEFAULT_KEY_PREFIX;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private Duration waitPollBound = DEFAULT_WAIT_POLL_BOUND;
        private Duration tokenRetention = DEFAULT_TOKEN_RETENTION;
        private Duration maxHoldTime = Duration.ZERO;
        private int replicaAcks = IdAllocatorConfig.DEFAULT_REPLICA_ACKS;
        private Duration replicaAckTimeout = IdAllocatorConfig.DEFAULT_REPLICA_ACK_TIMEOUT;

        private Builder(String namespace) {
            this.namespace = namespace;
        }

        /** First part of the keys. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /** How long a lock is held without renewal. */
        public Builder leaseTime(Duration value) {
            this.leaseTime = value;
            return this;
        }

        /** The longest sleep of a waiter between two attempts. */
        public Builder waitPollBound(Duration value) {
            this.waitPollBound = value;
            return this;
        }

        /** How long a released lock keeps its fencing token; zero deletes it on release. */
        public Builder tokenRetention(Duration value) {
            this.tokenRetention = value;
            return this;
        }

        /** The age at which renewal of a lease stops; zero: no limit. */
        public Builder maxHoldTime(Duration value) {
            this.maxHoldTime = value;
            return this;
        }

        /**
         * How many replicas must confirm each acquisition and renewal, and how long to wait for them: what makes a
         * lock survive a Sentinel failover.
         */
        public Builder replicaAcks(int count, Duration timeout) {
            this.replicaAcks = count;
            this.replicaAckTimeout = timeout;
            return this;
        }

        /** Checks and returns the configuration. */
        public LockConfig build() {
            return new LockConfig(
                    namespace,
                    keyPrefix,
                    leaseTime,
                    waitPollBound,
                    tokenRetention,
                    maxHoldTime,
                    replicaAcks,
                    replicaAckTimeout);
        }
    }
}
