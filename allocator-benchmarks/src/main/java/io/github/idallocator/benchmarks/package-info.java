/**
 * JMH benchmarks of the range allocator against raw Lettuce EVALSHA baselines, and a report of Redis memory per lease.
 * Nothing here runs during the build: package the module and run {@code target/benchmarks.jar} as
 * {@code docs/benchmarks.md} shows. Every benchmark starts a private redis-server on a free port.
 */
package io.github.idallocator.benchmarks;
