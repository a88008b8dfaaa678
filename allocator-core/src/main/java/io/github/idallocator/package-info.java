/**
 * idallocator: unique ids and leases for many JVMs through Redis. The exceptions in this package are shared by every
 * allocator; each allocator concept has its own package ({@code range}, ...).
 */
@NullMarked
package io.github.idallocator;

import org.jspecify.annotations.NullMarked;
