/**
 * Auto-configuration of the allocators of {@code idallocator.allocators}, the {@code IdAllocators} registry and the
 * lifecycle that runs their heartbeats.
 */
@NullMarked
package io.github.idallocator.autoconfigure.range;

import org.jspecify.annotations.NullMarked;
