/**
 * The idallocator sample application: a REST API over two allocators, the Snowflake generator and a sequence, actuator
 * exposed.
 */
@NullMarked
package io.github.idallocator.sample;

import org.jspecify.annotations.NullMarked;
