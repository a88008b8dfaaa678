package io.github.idallocator.pool;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How one acquisition asks for a resource; immutable, each method returns a copy. Values are checked by the pool, before
 * Redis is touched.
 *
 * <pre>{@code
 * pool.acquire(Duration.ofSeconds(5), AcquireOptions.defaults().preferBound("worker-7").waiterPriority(10));
 * }</pre>
 */
public final class AcquireOptions {

    private static final AcquireOptions DEFAULTS = new AcquireOptions(null, null, 0, null);

    private final @Nullable Duration leaseTime;
    private final @Nullable String bindingName;
    private final int waiterPriority;
    private final @Nullable Boolean autoRenew;

    private AcquireOptions(
            @Nullable Duration leaseTime,
            @Nullable String bindingName,
            int waiterPriority,
            @Nullable Boolean autoRenew) {
        this.leaseTime = leaseTime;
        this.bindingName = bindingName;
        this.waiterPriority = waiterPriority;
        this.autoRenew = autoRenew;
    }

    /** The pool's default lease time and renewal, no binding, waiter priority 0. */
    public static AcquireOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Prefer the resource bound to {@code bindingName} (a worker, a task type): it is granted whenever it can take a
     * holder; otherwise another resource is, and the binding moves to it. Either way the binding lives {@link
     * PoolConfig#bindingTtl()} from this acquisition.
     */
    public AcquireOptions preferBound(String bindingName) {
        return new AcquireOptions(leaseTime, bindingName, waiterPriority, autoRenew);
    }

    /** The lease time of this acquisition instead of the pool's default. */
    public AcquireOptions leaseTime(Duration value) {
        return new AcquireOptions(value, bindingName, waiterPriority, autoRenew);
    }

    /**
     * The priority of this caller while it waits: {@value PoolConfig#MIN_WAITER_PRIORITY} (the default) to {@value
     * PoolConfig#MAX_WAITER_PRIORITY}; higher is served first, equal priorities first come first served.
     */
    public AcquireOptions waiterPriority(int value) {
        return new AcquireOptions(leaseTime, bindingName, value, autoRenew);
    }

    /** Whether the lease is renewed in the background, instead of the pool's default. */
    public AcquireOptions autoRenew(boolean value) {
        return new AcquireOptions(leaseTime, bindingName, waiterPriority, value);
    }

    /** The lease time asked for, or null for the pool's default. */
    public @Nullable Duration leaseTime() {
        return leaseTime;
    }

    /** The binding name whose resource is preferred, or null. */
    public @Nullable String bindingName() {
        return bindingName;
    }

    /** The waiter priority. */
    public int waiterPriority() {
        return waiterPriority;
    }

    /** Whether the lease is renewed in the background, or null for the pool's default. */
    public @Nullable Boolean autoRenew() {
        return autoRenew;
    }

    @Override
    public String toString() {
        return "AcquireOptions[leaseTime=" + leaseTime + ", preferBound=" + bindingName + ", waiterPriority="
                + waiterPriority + ", autoRenew=" + autoRenew + "]";
    }
}
