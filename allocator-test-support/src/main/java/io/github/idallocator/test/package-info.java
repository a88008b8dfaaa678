/**
 * Test support on top of {@code io.github.idallocator.launcher} (which starts single redis-server processes): a small
 * Redis Cluster, a master/replica pair watched by Sentinel, a replicated pair, a JUnit Jupiter extension that shares one
 * server across a test run, one that runs a test class once per Redis client ({@link
 * io.github.idallocator.test.WithRedisClients}), the harness for fault tests across worker JVMs, and real etcd processes for the etcd tests ({@link
 * io.github.idallocator.test.EtcdProcess}, {@link io.github.idallocator.test.EtcdCluster}, {@link
 * io.github.idallocator.test.WithEtcd}), also with TLS on the client port and certificates made by the JDK's keytool
 * ({@link io.github.idallocator.test.TestCertificates}).
 */
package io.github.idallocator.test;
