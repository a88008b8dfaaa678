/**
 * Auto-configuration of idallocator: {@link io.github.idallocator.range.IdAllocator} beans from {@code idallocator.*}
 * properties, the {@link io.github.idallocator.autoconfigure.IdAllocators} registry, the Snowflake generator and its
 * {@link io.github.idallocator.autoconfigure.SnowflakeWorker worker-id lease}, {@link
 * io.github.idallocator.sequence.SequenceAllocator} beans with the {@link
 * io.github.idallocator.autoconfigure.SequenceAllocators} registry, and the heartbeats, renewals and background fetches
 * of {@link io.github.idallocator.autoconfigure.IdAllocatorLifecycle}.
 */
@NullMarked
package io.github.idallocator.autoconfigure;

import org.jspecify.annotations.NullMarked;
