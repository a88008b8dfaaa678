/**
 * Distributed locks with fencing tokens, expiry by Redis server time, automatic renewal, self-fencing and fast hand-off.
 * Entry points: {@link io.github.idallocator.lock.LockService} and {@link io.github.idallocator.lock.RedisLockService}.
 */
@NullMarked
package io.github.idallocator.lock;

import org.jspecify.annotations.NullMarked;
