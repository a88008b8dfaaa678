/**
 * The {@code idallocator} actuator endpoint: every allocator's stats, configuration and creator.
 */
@NullMarked
package io.github.idallocator.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
