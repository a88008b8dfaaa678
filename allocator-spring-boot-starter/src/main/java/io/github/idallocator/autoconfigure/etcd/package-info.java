/** Auto-configuration of Snowflake worker ids claimed from etcd, with the optional allocator-etcd module. */
@NullMarked
package io.github.idallocator.autoconfigure.etcd;

import org.jspecify.annotations.NullMarked;
