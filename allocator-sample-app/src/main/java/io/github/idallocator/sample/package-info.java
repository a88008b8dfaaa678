/**
 * The idallocator sample application: a REST API over two allocators, the Snowflake generator, a sequence, a lock and a
 * pool of proxies, actuator exposed.
 */
@NullMarked
package io.github.idallocator.sample;

import org.jspecify.annotations.NullMarked;
