/**
 * JMH benchmarks of the range allocator against raw Lettuce EVALSHA baselines, of the Snowflake generator and its
 * worker-id lease against CosId, and of the segment sequences against CosId and Redisson; a report of Redis memory per
 * lease and a report of the ids a sequence reserves in Redis against those it hands out.
 * Nothing here runs during the build: package the module and run {@code target/benchmarks.jar} as
 * {@code docs/benchmarks.md} shows. Every benchmark starts a private redis-server on a free port.
 */
package io.github.idallocator.benchmarks;
