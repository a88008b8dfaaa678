/**
 * Runs real {@code redis-server} processes on free ports of 127.0.0.1 (the binary from the {@code PATH} or the one in
 * the embedded-redis jar) and stops them again: for tests, benchmarks and a development Redis. It depends on no test
 * framework.
 */
package io.github.idallocator.launcher;
