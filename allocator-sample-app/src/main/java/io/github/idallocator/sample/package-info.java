/** The idallocator sample application: a REST API over two allocators, actuator exposed. */
@NullMarked
package io.github.idallocator.sample;

import org.jspecify.annotations.NullMarked;
