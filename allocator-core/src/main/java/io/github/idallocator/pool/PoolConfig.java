package io.github.idallocator.pool;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.Checks;
import io.github.idallocator.internal.LeaseClock;
import io.github.idallocator.range.IdAllocatorConfig;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of one {@link ResourcePool}; every value is checked here, before Redis is touched. The pool's name and
 * {@link #maxHolders()} are stored in Redis by the first instance: an instance configured otherwise fails to attach
 * ({@link io.github.idallocator.ConfigurationMismatchException}). The other values are this instance's own.
 *
 * @param name the pool's name, part of every key ({@code [A-Za-z0-9._-]}, 1 to 100 characters)
 * @param keyPrefix first part of the keys
 * @param maxHolders how many holders one resource takes at a time: 1 is exclusive mode, more is shared mode (up to
 *     {@value #MAX_HOLDERS}), where a new holder goes to the least loaded resource
 * @param leaseTime the default lease of an acquisition, by Redis server time ({@value #MIN_LEASE_MILLIS} ms to 1 day)
 * @param autoRenew whether held leases are renewed in the background every third of their lease time by default (true),
 *     or expire at the end of their lease time unless renewed with {@link ResourcePool#renew}
 * @param bindingTtl how long a soft binding lives after it was last used (1 second to 30 days)
 * @param waitPollBound the longest a waiter sleeps between two attempts (1 ms to 1 minute); a waiter's ticket lives
 *     twice this plus one second after its last attempt, which is how long a waiter that died holds its place
 * @param unhealthyThreshold how many releases reporting a resource unhealthy within {@code unhealthyWindow} quarantine
 *     it (1 to 1000)
 * @param unhealthyWindow the window in which unhealthy releases are counted (1 second to 1 day)
 * @param maintenanceInterval how often the pool's creator instance collects expired leases, bindings and waiter
 *     tickets, ends due quarantines and runs the health check on quarantined resources (100 ms to 1 hour)
 * @param healthCheckTimeout the longest the health checks of one maintenance run may take (they run at once); a check
 *     still running then counts as failed
 */
public record PoolConfig(
        String name,
        String keyPrefix,
        int maxHolders,
        Duration leaseTime,
        boolean autoRenew,
        Duration bindingTtl,
        Duration waitPollBound,
        int unhealthyThreshold,
        Duration unhealthyWindow,
        Duration maintenanceInterval,
        Duration healthCheckTimeout) {

    /** The most holders one resource may take in shared mode: {@value}. */
    public static final int MAX_HOLDERS = 10_000;

    /** The shortest lease time: {@value} ms. */
    public static final long MIN_LEASE_MILLIS = LeaseClock.MIN_LEASE_MILLIS;

    /** The longest lease time: 1 day. */
    public static final Duration MAX_LEASE_TIME = LeaseClock.MAX_LEASE_TIME;

    /** The longest wait an acquisition accepts: 365 days. */
    public static final Duration MAX_WAIT_TIMEOUT = Duration.ofDays(365);

    /** Default lease time: 30 seconds. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

    /** Default binding lifetime: 1 hour. */
    public static final Duration DEFAULT_BINDING_TTL = Duration.ofHours(1);

    /** Default wait poll bound: 250 ms. */
    public static final Duration DEFAULT_WAIT_POLL_BOUND = Duration.ofMillis(250);

    /** Default number of unhealthy releases that quarantine a resource: 3. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    /** Default window of unhealthy releases: 1 minute. */
    public static final Duration DEFAULT_UNHEALTHY_WINDOW = Duration.ofMinutes(1);

    /** Default maintenance interval: 5 seconds. */
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(5);

    /** Default health check timeout: 5 seconds. */
    public static final Duration DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(5);

    /** The longest resource name: {@value} characters. */
    public static final int MAX_RESOURCE_NAME_LENGTH = 200;

    /** The longest binding name: {@value} characters. */
    public static final int MAX_BINDING_NAME_LENGTH = 200;

    /** The lowest (first served) and highest resource priority. */
    public static final int MIN_PRIORITY = 0, MAX_PRIORITY = 1_000_000;

    /** The lowest and highest (first served) waiter priority. */
    public static final int MIN_WAITER_PRIORITY = 0, MAX_WAITER_PRIORITY = 1000;

    /** The longest metadata of a resource and the longest quarantine reason: {@value} characters. */
    public static final int MAX_TEXT_LENGTH = 4096;

    /** The longest quarantine: 365 days. */
    public static final Duration MAX_QUARANTINE = Duration.ofDays(365);

    private static final Pattern MEMBER_NAME =
            Pattern.compile("[^{}|\\s\\p{Cntrl}]{1," + MAX_RESOURCE_NAME_LENGTH + "}");

    /**
     * Checks every value; the {@link InvalidArgumentException} names the setting, its value and what would be
     * accepted.
     */
    public PoolConfig {
        IdAllocatorConfig.requireName(name, "pool");
        IdAllocatorConfig.requireKeyPrefix(keyPrefix);
        String owner = owner(name);
        Checks.requireBetween(
                "maxHolders",
                maxHolders,
                1,
                MAX_HOLDERS,
                owner,
                "use 1 (exclusive) for one holder per resource, or the most holders one resource can serve at once");
        requireLeaseTime("leaseTime", leaseTime, owner);
        Checks.requireBetween(
                "bindingTtl",
                bindingTtl,
                Duration.ofSeconds(1),
                Duration.ofDays(30),
                owner,
                "use a duration such as " + DEFAULT_BINDING_TTL + " (the default)");
        Checks.requireBetween(
                "waitPollBound",
                waitPollBound,
                Duration.ofMillis(1),
                Duration.ofMinutes(1),
                owner,
                "use a duration such as " + DEFAULT_WAIT_POLL_BOUND + " (the default)");
        Checks.requireBetween(
                "unhealthyThreshold",
                unhealthyThreshold,
                1,
                1000,
                owner,
                "use " + DEFAULT_UNHEALTHY_THRESHOLD + " (the default), or 1 to quarantine on the first unhealthy "
                        + "release");
        Checks.requireBetween(
                "unhealthyWindow",
                unhealthyWindow,
                Duration.ofSeconds(1),
                Duration.ofDays(1),
                owner,
                "use a duration such as " + DEFAULT_UNHEALTHY_WINDOW + " (the default)");
        Checks.requireBetween(
                "maintenanceInterval",
                maintenanceInterval,
                Duration.ofMillis(100),
                Duration.ofHours(1),
                owner,
                "use a duration such as " + DEFAULT_MAINTENANCE_INTERVAL + " (the default)");
        Checks.requireBetween(
                "healthCheckTimeout",
                healthCheckTimeout,
                Duration.ofMillis(1),
                Duration.ofMinutes(10),
                owner,
                "use a duration such as " + DEFAULT_HEALTH_CHECK_TIMEOUT + " (the default)");
    }

    /** A builder with the defaults for everything but the name: exclusive mode. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether a resource takes one holder at a time. */
    public boolean exclusive() {
        return maxHolders == 1;
    }

    /** {@code pool '<name>'}, for messages. */
    String describe() {
        return owner(name);
    }

    private static String owner(String name) {
        return "pool '" + name + "'";
    }

    /**
     * Checks the arguments of {@link ResourcePool#add(String, int, String)} for this pool, as the pool does before
     * Redis is touched: a resource name of 1 to {@value #MAX_RESOURCE_NAME_LENGTH} characters without braces, '|',
     * whitespace or control characters, a priority of {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}, metadata of at
     * most {@value #MAX_TEXT_LENGTH} characters (or null).
     *
     * @throws InvalidArgumentException naming the argument ({@code resource}, {@code priority} or {@code metadata})
     */
    public void requireResource(@Nullable String resource, int priority, @Nullable String metadata) {
        requireMemberName("resource", resource);
        Checks.requireBetween(
                "priority",
                priority,
                MIN_PRIORITY,
                MAX_PRIORITY,
                describe(),
                "use 0 (served first) or a higher number for resources to use only when better ones are busy");
        requireText("metadata", metadata, describe(), true);
    }

    /**
     * Checks a resource or binding name: 1 to 200 characters, none of them a brace, '|', whitespace or a control
     * character.
     *
     * @param what the argument, {@code resource} or {@code bindingName}
     * @throws InvalidArgumentException naming {@code what}
     */
    String requireMemberName(String what, @Nullable String value) {
        if (value == null || !MEMBER_NAME.matcher(value).matches()) {
            throw new InvalidArgumentException(
                    what,
                    value,
                    what + " " + (value == null ? "null" : "'" + value + "'") + " of " + describe()
                            + " is invalid: it must be 1 to " + MAX_RESOURCE_NAME_LENGTH + " characters without "
                            + "braces, '|', whitespace or control characters",
                    "use a name such as proxy-eu-1 or worker-7");
        }
        return value;
    }

    /**
     * Checks a lease time: {@value #MIN_LEASE_MILLIS} ms to 1 day.
     *
     * @return the lease time in milliseconds
     */
    static long requireLeaseTime(String what, @Nullable Duration leaseTime, String owner) {
        return LeaseClock.requireLeaseTime(
                what, leaseTime, owner, DEFAULT_LEASE_TIME + " (the default)", "a holder's use of the resource");
    }

    static @Nullable String requireText(String what, @Nullable String value, String owner, boolean nullable) {
        if (value == null) {
            if (nullable) {
                return null;
            }
            throw new InvalidArgumentException(what, null, what + " of " + owner + " is not set", "give a text");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new InvalidArgumentException(
                    what,
                    value.length() + " characters",
                    what + " of " + owner + " has " + value.length() + " characters, more than " + MAX_TEXT_LENGTH,
                    "keep it short: store larger data elsewhere and put its key here");
        }
        return value;
    }

    /** Builds a {@link PoolConfig}. */
    public static final class Builder {
        private final String name;
        private String keyPrefix = IdAllocatorConfig.DEFAULT_KEY_PREFIX;
        private int maxHolders = 1;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private boolean autoRenew = true;
        private Duration bindingTtl = DEFAULT_BINDING_TTL;
        private Duration waitPollBound = DEFAULT_WAIT_POLL_BOUND;
        private int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
        private Duration unhealthyWindow = DEFAULT_UNHEALTHY_WINDOW;
        private Duration maintenanceInterval = DEFAULT_MAINTENANCE_INTERVAL;
        private Duration healthCheckTimeout = DEFAULT_HEALTH_CHECK_TIMEOUT;

        private Builder(String name) {
            this.name = name;
        }

        /** First part of the keys. */
        public Builder keyPrefix(String value) {
            this.keyPrefix = value;
            return this;
        }

        /** Exclusive mode: one holder per resource (the default). */
        public Builder exclusive() {
            this.maxHolders = 1;
            return this;
        }

        /** Shared mode: up to {@code maxHoldersPerResource} holders per resource, least loaded first. */
        public Builder shared(int maxHoldersPerResource) {
            this.maxHolders = maxHoldersPerResource;
            return this;
        }

        /** The default lease time of an acquisition. */
        public Builder leaseTime(Duration value) {
            this.leaseTime = value;
            return this;
        }

        /** Whether held leases are renewed in the background by default. */
        public Builder autoRenew(boolean value) {
            this.autoRenew = value;
            return this;
        }

        /** How long a soft binding lives after it was last used. */
        public Builder bindingTtl(Duration value) {
            this.bindingTtl = value;
            return this;
        }

        /** The longest sleep of a waiter between two attempts. */
        public Builder waitPollBound(Duration value) {
            this.waitPollBound = value;
            return this;
        }

        /** How many unhealthy releases within {@code window} quarantine a resource. */
        public Builder unhealthy(int threshold, Duration window) {
            this.unhealthyThreshold = threshold;
            this.unhealthyWindow = window;
            return this;
        }

        /** How often the creator instance collects expired state and runs the health check. */
        public Builder maintenanceInterval(Duration value) {
            this.maintenanceInterval = value;
            return this;
        }

        /** The longest one health check may take. */
        public Builder healthCheckTimeout(Duration value) {
            this.healthCheckTimeout = value;
            return this;
        }

        /** Checks and returns the configuration. */
        public PoolConfig build() {
            return new PoolConfig(
                    name,
                    keyPrefix,
                    maxHolders,
                    leaseTime,
                    autoRenew,
                    bindingTtl,
                    waitPollBound,
                    unhealthyThreshold,
                    unhealthyWindow,
                    maintenanceInterval,
                    healthCheckTimeout);
        }
    }
}
