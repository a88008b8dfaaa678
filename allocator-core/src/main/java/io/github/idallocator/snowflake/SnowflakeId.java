package io.github.idallocator.snowflake;

import java.time.Instant;

/**
 * The parts of a Snowflake id, from {@link SnowflakeIdGenerator#decompose(long)}.
 *
 * @param id the id
 * @param timestamp the start of the tick the id was generated in
 * @param workerId the worker id of the generator that issued it
 * @param sequence its sequence number within that tick
 */
public record SnowflakeId(long id, Instant timestamp, long workerId, long sequence) {}
