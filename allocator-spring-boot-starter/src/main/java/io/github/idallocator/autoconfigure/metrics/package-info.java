/**
 * Micrometer meters and observations of idallocator: allocation outcomes, latency, frees and gauges.
 */
@NullMarked
package io.github.idallocator.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
