/**
 * Auto-configuration of idallocator: the {@code idallocator.*} properties, bound once and turned into core
 * configurations, the failure analyzers that report a wrong value or a Redis that cannot be reached, and the registrar
 * of the configured beans. Each feature has its own sub-package: {@code range} (the allocators and the lifecycle),
 * {@code snowflake}, {@code sequence}, {@code endpoint}, {@code health} and {@code metrics}. The types they configure
 * are in {@code io.github.idallocator.spring}.
 */
@NullMarked
package io.github.idallocator.autoconfigure;

import org.jspecify.annotations.NullMarked;
