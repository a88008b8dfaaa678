package io.github.idallocator.tasks;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.range.IdAllocatorConfig;
import java.time.Duration;

/**
 * Configuration of one {@link TaskQueue}; every value is checked here, before Redis is touched. The values are this
 * instance's own: the instances sharing a queue should agree on them, as each applies its own to what it does
 * (for example its maxAttempts to the tasks it fails).
 *
 * @param name the queue's name, part of every key ({@code [A-Za-z0-9._-]}, 1 to 100 characters); one queue per kind of
 *     task, such as {@code emails}
 * @param keyPrefix first part of the keys
 * @param visibilityTimeout how long a claimed task belongs to its worker ({@value LeaseClock#MIN_LEASE_MILLIS} ms to 1
 *     day): a task not completed, failed or extended within it becomes claimable again. {@link TaskWorkers} extend it
 *     every third of it while the handler runs, so it bounds how long a dead or paused worker holds a task, not how
 *     long a task may run
 * @param maxAttempts how many times a task is claimed at most (1 to 1000); a task whose last attempt failed or timed out
 *     moves to the dead tasks
 * @param backoff the wait before a failed task is tried again
 * @param retention how long a completed task and its result are kept (1 second to 365 days); its id stays taken as long
 * @param deadRetention how long a dead task is kept for listing and requeueing (1 second to 365 days)
 * @param idleExpiry how long a queue nobody writes to keeps its keys (at least both retentions, the visibility
 *     timeout and the backoff's longest wait, at most 3650 days): they all expire together, this long after the last
 *     write or up to a tenth later, so no key lives forever
 * @param pollBound the longest a waiting worker or result reader sleeps between two reads (1 ms to 1 minute); a
 *     published signal usually wakes them sooner
 */
public record TaskQueueConfig(
        String name,
        String keyPrefix,
        Duration visibilityTimeout,
        int maxAttempts,
        Backoff backoff,
        Duration retention,
        Duration deadRetention,
        Duration idleExpiry,
        Duration pollBound) {

    /** Default visibility timeout: 30 seconds. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    /** Default number of attempts: 5. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    /** Default retention of completed tasks: 1 day. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    /** Default retention of dead tasks: 7 days. */
    public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofDays(7);

    /** Default idle expiry: 30 days. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(30);

    /** Default poll bound: 1 second. */
    public static final Duration DEFAULT_POLL_BOUND = Duration.ofSeconds(1);

    /** The most attempts: {@value}. */
    public static final int MAX_ATTEMPTS = 1000;

    /**
     * Checks every value; the {@link InvalidArgumentException} names the setting, its value and what would be
     * accepted.
     */
    public TaskQueueConfig {
        IdAllocatorConfig.requireName(name, "task queue");
        IdAllocatorConfig.requireKeyPrefix(keyPrefix);
        String owner = describe(name);
        LeaseClock.requireLeaseTime(
                "visibilityTimeout",
                visibilityTimeout,
                owner,
                DEFAULT_VISIBILITY_TIMEOUT + " (the default)",
                "a worker");
        Checks.requireBetween(
                "maxAttempts",
                maxAttempts,
                1,
                MAX_ATTEMPTS,
                owner,
                "use " + DEFAULT_MAX_ATTEMPTS + " (the default), or 1 to never retry");
        if (backoff == null) {
            throw new InvalidArgumentException(
                    "backoff", null, "backoff of " + owner + " is not set", "use Backoff.DEFAULT");
        }
        Checks.requireBetween(
                "retention",
                retention,
                Duration.ofSeconds(1),
                Duration.ofDays(365),
                owner,
                "use a duration such as " + DEFAULT_RETENTION + " (the default)");
        Checks.requireBetween(
                "deadRetention",
                deadRetention,
                Duration.ofSeconds(1),
                Duration.ofDays(365),
                owner,
                "use a duration such as " + DEFAULT_DEAD_RETENTION + " (the default)");
        Duration longest = longest(retention, deadRetention, visibilityTimeout, backoff.max());
        Checks.requireBetween(
                "idleExpiry",
                idleExpiry,
                longest,
                Duration.ofDays(3650),
                owner,
                "use a duration no shorter than the retentions, the visibility timeout and the longest backoff ("
                        + longest + "), such as " + DEFAULT_IDLE_EXPIRY + " (the default): a queue idle for longer "
                        + "disappears, with tasks waiting that long");
        Checks.requireBetween(
                "pollBound",
                pollBound,
                Duration.ofMillis(1),
                Duration.ofMinutes(1),
                owner,
                "use a duration such as " + DEFAULT_POLL_BOUND + " (the default)");
    }

    private static Duration longest(Duration... durations) {
        Duration longest = Duration.ZERO;
        for (Duration d : durations) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }

    /** A builder with the defaults for everything but the name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The queue for messages: {@code task queue 'emails'}. */
    public String describe() {
        return describe(name);
    }

    private static String describe(String name) {
        return "task queue '" + name + "'";
    }

    /** Builds a {@link TaskQueueConfig}; {@link #build()} checks every value. */
    public static final class Builder {
        private final String name;
        private String keyPrefix = IdAllocatorConfig.DEFAULT_KEY_PREFIX;
        private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration retention = DEFAULT_RETENTION;
        private Duration deadRetention = DEFAULT_DEAD_RETENTION;
        private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;
        private Duration pollBound = DEFAULT_POLL_BOUND;

        private Builder(String name) {
            this.name = name;
        }

        /** See {@link TaskQueueConfig#keyPrefix()}. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /** See {@link TaskQueueConfig#visibilityTimeout()}. */
        public Builder visibilityTimeout(Duration value) {
            this.visibilityTimeout = value;
            return this;
        }

        /** See {@link TaskQueueConfig#maxAttempts()}. */
        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        /** See {@link TaskQueueConfig#backoff()}. */
        public Builder backoff(Backoff value) {
            this.backoff = value;
            return this;
        }

        /** See {@link TaskQueueConfig#retention()}. */
        public Builder retention(Duration value) {
            this.retention = value;
            return this;
        }

        /** See {@link TaskQueueConfig#deadRetention()}. */
        public Builder deadRetention(Duration value) {
            this.deadRetention = value;
            return this;
        }

        /** See {@link TaskQueueConfig#idleExpiry()}. */
        public Builder idleExpiry(Duration value) {
            this.idleExpiry = value;
            return this;
        }

        /** See {@link TaskQueueConfig#pollBound()}. */
        public Builder pollBound(Duration value) {
            this.pollBound = value;
            return this;
        }

        /** Checks every value and builds the configuration. */
        public TaskQueueConfig build() {
            return new TaskQueueConfig(
                    name,
                    keyPrefix,
                    visibilityTimeout,
                    maxAttempts,
                    backoff,
                    retention,
                    deadRetention,
                    idleExpiry,
                    pollBound);
        }
    }
}
