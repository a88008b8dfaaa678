/**
 * The leased range allocator: integer ids from a bounded range {@code [minId, maxId]}, each handed out as a
 * {@link io.github.idallocator.range.Lease} that expires by Redis server time unless renewed. Entry points:
 * {@link io.github.idallocator.range.IdAllocator} and {@link io.github.idallocator.range.RedisIdAllocator}.
 */
@NullMarked
package io.github.idallocator.range;

import org.jspecify.annotations.NullMarked;
