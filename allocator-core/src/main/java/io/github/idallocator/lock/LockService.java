package io.github.idallocator.lock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Distributed locks of one namespace. A lease ({@link LockLease}) carries a fencing token that increases strictly per
 * lock name across holders, expires by Redis server time unless renewed (renewal runs in the background every third of
 * the lease time), and self-fences: {@link LockLease#isHeld()} turns false before Redis can give the lock to anyone
 * else. Waiters are woken by the release (one subscription per service) and poll at least every {@link
 * LockConfig#waitPollBound()}, so a lost wake-up costs at most that.
 *
 * <p>Lock names are 1 to 200 characters without braces, whitespace or control characters; an invalid name, lease or
 * wait time is rejected with {@link io.github.idallocator.InvalidArgumentException} before Redis is touched. A Redis
 * that cannot be reached makes a call fail with {@link io.github.idallocator.RedisUnavailableException} within the
 * client's command timeout, also while waiting.
 */
public interface LockService {

    /**
     * Acquires lock {@code name}, waiting up to {@code waitTimeout} while another owner holds it.
     *
     * @param waitTimeout zero or more; zero makes one attempt
     * @param leaseTime the lease, renewed while held ({@value LockConfig#MIN_LEASE_MILLIS} ms to 1 day)
     * @return the lease, or empty when the lock was held by others for the whole wait
     * @throws io.github.idallocator.RedisUnavailableException when Redis cannot be reached (retryable)
     * @throws io.github.idallocator.ReplicaAckException when {@code replicaAcks} are configured and too few replicas
     *     confirmed the grant in time (the grant was released)
     * @throws io.github.idallocator.IdAllocatorException when the thread was interrupted while waiting (its interrupt
     *     flag is set again)
     */
    Optional<LockLease> tryAcquire(String name, Duration waitTimeout, Duration leaseTime);

    /**
     * A {@link Lock} on lock {@code name} owned by threads: the thread that locks it must unlock it, and a re-entry by
     * the holding thread costs no Redis call while the lease is held (it throws {@link LockLostException} once the
     * lease was lost). Renewal stops when the holding thread ends without unlocking, so the lock is free within one
     * lease time. All {@code Lock}s of one name in this service share their holds.
     */
    Lock asLock(String name);

    /** The leases of this service that are held now (acquired, not released, not lost). */
    List<LockLease> heldLocks();

    /** The configuration. */
    LockConfig config();

    /** Adds a listener for the events of this service's leases. */
    void addListener(LockListener listener);

    /** Removes a listener added with {@link #addListener}. */
    void removeListener(LockListener listener);

    /** Acquires lock {@code name} if nobody holds it, with the default lease time; never waits. */
    default Optional<LockLease> tryAcquire(String name) {
        return tryAcquire(name, Duration.ZERO, config().leaseTime());
    }

    /** Acquires lock {@code name}, waiting up to {@code waitTimeout}, with the default lease time. */
    default Optional<LockLease> tryAcquire(String name, Duration waitTimeout) {
        return tryAcquire(name, waitTimeout, config().leaseTime());
    }

    /**
     * Acquires lock {@code name}, waiting up to {@code waitTimeout}, with the default lease time.
     *
     * @throws LockTimeoutException when another owner held it for the whole wait
     */
    default LockLease acquire(String name, Duration waitTimeout) {
        return acquire(name, waitTimeout, config().leaseTime());
    }

    /**
     * Acquires lock {@code name}, waiting up to {@code waitTimeout}.
     *
     * @throws LockTimeoutException when another owner held it for the whole wait
     */
    default LockLease acquire(String name, Duration waitTimeout, Duration leaseTime) {
        return tryAcquire(name, waitTimeout, leaseTime)
                .orElseThrow(() -> new LockTimeoutException(config().namespace(), name, waitTimeout));
    }
}
