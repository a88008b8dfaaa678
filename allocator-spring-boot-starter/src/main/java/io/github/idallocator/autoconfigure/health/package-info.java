/**
 * The {@code idallocator} health indicator.
 */
@NullMarked
package io.github.idallocator.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
