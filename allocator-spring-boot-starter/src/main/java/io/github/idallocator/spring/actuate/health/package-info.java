/**
 * The {@code idallocator} and {@code snowflake} health indicators.
 */
@NullMarked
package io.github.idallocator.spring.actuate.health;

import org.jspecify.annotations.NullMarked;
