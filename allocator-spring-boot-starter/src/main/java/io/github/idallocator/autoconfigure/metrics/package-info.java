/**
 * Auto-configuration of the Micrometer meters and observations of {@code allocator-micrometer}.
 */
@NullMarked
package io.github.idallocator.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
