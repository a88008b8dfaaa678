/** Redis plumbing shared by every allocator: key names, Lua script loading and failure translation. */
@NullMarked
package io.github.idallocator.redis;

import org.jspecify.annotations.NullMarked;
