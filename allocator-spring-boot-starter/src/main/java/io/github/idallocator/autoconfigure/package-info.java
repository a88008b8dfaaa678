/**
 * Auto-configuration of idallocator: {@link io.github.idallocator.range.IdAllocator} beans from {@code idallocator.*}
 * properties, the {@link io.github.idallocator.autoconfigure.IdAllocators} registry and the heartbeats of
 * {@link io.github.idallocator.autoconfigure.IdAllocatorLifecycle}.
 */
@NullMarked
package io.github.idallocator.autoconfigure;

import org.jspecify.annotations.NullMarked;
