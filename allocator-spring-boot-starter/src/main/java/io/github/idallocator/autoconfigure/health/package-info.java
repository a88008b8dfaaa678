/**
 * Auto-configuration of the {@code idallocator}, {@code snowflake} and {@code locks} health indicators.
 */
@NullMarked
package io.github.idallocator.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
