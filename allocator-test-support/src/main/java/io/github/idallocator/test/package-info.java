/**
 * Test support on top of {@code io.github.idallocator.launcher} (which starts single redis-server processes): a small
 * Redis Cluster, a master/replica pair watched by Sentinel, a replicated pair, a JUnit Jupiter extension that shares one
 * server across a test run, one that runs a test class once per Redis client ({@link
 * io.github.idallocator.test.WithRedisClients}), and the harness for fault tests across worker JVMs.
 */
package io.github.idallocator.test;
