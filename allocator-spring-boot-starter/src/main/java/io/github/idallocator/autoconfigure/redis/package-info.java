/** Auto-configuration of the Redis client settings idallocator needs: a bounded command timeout by default. */
@NullMarked
package io.github.idallocator.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
