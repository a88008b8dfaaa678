/**
 * Auto-configuration of the {@code idallocator} and {@code snowflake} health indicators.
 */
@NullMarked
package io.github.idallocator.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
