/**
 * Auto-configuration of the segment sequences of {@code idallocator.sequences} and the {@code SequenceAllocators}
 * registry.
 */
@NullMarked
package io.github.idallocator.autoconfigure.sequence;

import org.jspecify.annotations.NullMarked;
