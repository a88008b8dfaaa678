package io.github.idallocator;

/**
 * What the release of a lease (a lock's, a pool resource's) found in Redis. Releasing is idempotent: a retried release
 * learns the same outcome.
 */
public enum ReleaseOutcome {
    /** The lease was the holder's and is now ended; waiters were woken. */
    RELEASED,
    /** Nobody holds the lease any more: it expired (or Redis lost it) before the release. */
    ALREADY_EXPIRED,
    /** The lease expired and another owner holds the lock now; it was left untouched. Pools never answer this. */
    HELD_BY_OTHER,
    /** The pool resource was removed with {@code Removal.FORCE} while held, which revoked the lease. Locks never answer this. */
    REVOKED
}
