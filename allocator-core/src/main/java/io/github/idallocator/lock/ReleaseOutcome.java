package io.github.idallocator.lock;

/** What a release found in Redis. Releasing is idempotent: a retried release learns the same outcome. */
public enum ReleaseOutcome {
    /** The lease was the holder's and is now ended; waiters were woken. */
    RELEASED,
    /** Nobody holds the lock any more: the lease expired (or Redis lost it) before the release. */
    ALREADY_EXPIRED,
    /** The lease expired and another owner holds the lock now; it was left untouched. */
    HELD_BY_OTHER
}
