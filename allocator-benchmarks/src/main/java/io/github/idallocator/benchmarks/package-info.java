/**
 * JMH benchmarks of the range allocator against raw Lettuce EVALSHA baselines, of the Snowflake generator and its
 * worker-id lease against CosId, of the segment sequences against CosId and Redisson, and of the distributed locks
 * against Redisson's {@code RLock} and Spring Integration's {@code RedisLockRegistry}, and of the resource pools against
 * Redisson's {@code RPermitExpirableSemaphore} and at 10 against 5,000 resources; a report of Redis memory per lease, a
 * report of the ids a sequence reserves in Redis against those it hands out, reports of the Redis calls of a lock
 * re-entry and of the cross-process lock hand-off latency, and a report of what a pool's garbage collection costs Redis
 * per expired lease.
 * Nothing here runs during the build: package the module and run {@code target/benchmarks.jar} as
 * {@code docs/benchmarks.md} shows. Every benchmark starts a private redis-server on a free port.
 */
package io.github.idallocator.benchmarks;
