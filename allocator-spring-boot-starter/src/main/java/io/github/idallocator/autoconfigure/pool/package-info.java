/**
 * Auto-configuration of the pools of named resources of {@code idallocator.pools} and the {@code ResourcePools}
 * registry.
 */
@NullMarked
package io.github.idallocator.autoconfigure.pool;

import org.jspecify.annotations.NullMarked;
