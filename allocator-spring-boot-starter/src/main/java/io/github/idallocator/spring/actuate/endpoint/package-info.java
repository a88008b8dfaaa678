/**
 * The {@code idallocator} actuator endpoint (every allocator's stats, configuration and creator, the Snowflake generator,
 * every sequence) and the {@code snowflake} endpoint (the generator; the parts of an id).
 */
@NullMarked
package io.github.idallocator.spring.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
