/**
 * Micrometer meters and observations of idallocator: allocation outcomes, latency, frees and gauges; the Snowflake
 * generator's and the sequences' counters and gauges.
 */
@NullMarked
package io.github.idallocator.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
