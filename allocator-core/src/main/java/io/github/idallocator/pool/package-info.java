/**
 * Pools of named resources (proxies, accounts, licences) leased to many JVMs: exclusive or shared leases with fencing
 * tokens and expiry by Redis server time, soft binding, priorities, quarantine and health checks. Entry points: {@link
 * io.github.idallocator.pool.ResourcePool} and {@link io.github.idallocator.pool.RedisResourcePool}.
 */
@NullMarked
package io.github.idallocator.pool;

import org.jspecify.annotations.NullMarked;
