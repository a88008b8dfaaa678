/**
 * Test support that runs real {@code redis-server} processes on free ports of 127.0.0.1: a single server, a small
 * Redis Cluster, a master/replica pair watched by Sentinel, and a JUnit Jupiter extension that shares one server across
 * a test run.
 */
package io.github.idallocator.test;
