/**
 * Micrometer meters and observations of idallocator, on the core library and Micrometer alone (no Spring Boot): {@link
 * io.github.idallocator.micrometer.ObservedIdAllocator} observes an allocator's operations and counts allocation
 * outcomes and frees; {@link io.github.idallocator.micrometer.IdAllocatorMeterBinder}, {@link
 * io.github.idallocator.micrometer.SnowflakeMeterBinder} and {@link
 * io.github.idallocator.micrometer.SequenceMeterBinder} bind the gauges and counters of allocators, the Snowflake
 * generator and sequences to a {@code MeterRegistry}; {@link io.github.idallocator.micrometer.ObservedLockService}
 * times lock acquisitions and {@link io.github.idallocator.micrometer.LockMeterBinder} gauges held locks and counts
 * lost ones; {@link io.github.idallocator.micrometer.ObservedResourcePool} times pool acquisitions and counts releases,
 * and {@link io.github.idallocator.micrometer.PoolMeterBinder} gauges pools from a background read; {@link
 * io.github.idallocator.micrometer.TaskQueueMeterBinder} gauges and counts task queues from a background read and
 * {@link io.github.idallocator.micrometer.TaskWorkerMeters} times the tasks this instance's workers claim and run (both
 * need allocator-tasks, an optional dependency). The Spring Boot starter wires them; without it, create them yourself.
 */
@NullMarked
package io.github.idallocator.micrometer;

import org.jspecify.annotations.NullMarked;
