/**
 * Auto-configuration of the distributed locks: the {@code LockService} bean of {@code idallocator.locks}.
 */
@NullMarked
package io.github.idallocator.autoconfigure.lock;

import org.jspecify.annotations.NullMarked;
