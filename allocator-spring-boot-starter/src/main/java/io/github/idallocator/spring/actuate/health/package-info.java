/**
 * The {@code idallocator}, {@code snowflake} and {@code locks} health indicators.
 */
@NullMarked
package io.github.idallocator.spring.actuate.health;

import org.jspecify.annotations.NullMarked;
