/**
 * Auto-configuration of the {@code idallocator} and {@code snowflake} actuator endpoints.
 */
@NullMarked
package io.github.idallocator.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
