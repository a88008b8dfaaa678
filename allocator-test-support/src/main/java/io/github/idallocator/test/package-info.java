/**
 * Test support that runs real {@code redis-server} processes on free ports of 127.0.0.1: a single server, a small
 * Redis Cluster, a master/replica pair watched by Sentinel, a JUnit Jupiter extension that shares one server across
 * a test run, and one that runs a test class once per Redis client ({@link io.github.idallocator.test.WithRedisClients}).
 */
package io.github.idallocator.test;
