/**
 * idallocator in a Spring application: the {@link io.github.idallocator.spring.IdAllocators} and {@link
 * io.github.idallocator.spring.SequenceAllocators} registries, the factories the beans are created with, the {@link
 * io.github.idallocator.spring.SnowflakeWorker} that leases the Snowflake generator its worker id, the events they
 * publish, and the {@link io.github.idallocator.spring.IdAllocatorLifecycle} that runs heartbeats, renewals and
 * background fetches. These types take plain values and core configurations; the auto-configurations in {@code
 * io.github.idallocator.autoconfigure} build them from the {@code idallocator.*} properties.
 */
@NullMarked
package io.github.idallocator.spring;

import org.jspecify.annotations.NullMarked;
