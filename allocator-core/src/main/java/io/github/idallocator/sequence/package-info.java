/**
 * Monotonic segment sequences: unique, increasing ids served from local segments granted by one atomic Redis script,
 * prefetched before they run out. Entry points: {@link io.github.idallocator.sequence.SequenceAllocator} and
 * {@link io.github.idallocator.sequence.RedisSequenceAllocator}.
 */
@NullMarked
package io.github.idallocator.sequence;

import org.jspecify.annotations.NullMarked;
