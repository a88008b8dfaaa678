/**
 * Snowflake ids: 64-bit, time-ordered ids generated locally on a worker id leased from a range allocator, so that pods
 * restarting all day never share a worker id. Entry point: {@link io.github.idallocator.snowflake.SnowflakeIdGenerator}.
 */
@NullMarked
package io.github.idallocator.snowflake;

import org.jspecify.annotations.NullMarked;
