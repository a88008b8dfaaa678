/**
 * Snowflake worker ids claimed from etcd: {@link io.github.idallocator.etcd.EtcdWorkerIdStore}, a {@link
 * io.github.idallocator.snowflake.WorkerIdStore} over a jetcd client, whose grants survive an etcd leader change (Raft)
 * and whose fencing tokens are etcd revisions.
 */
@NullMarked
package io.github.idallocator.etcd;

import org.jspecify.annotations.NullMarked;
