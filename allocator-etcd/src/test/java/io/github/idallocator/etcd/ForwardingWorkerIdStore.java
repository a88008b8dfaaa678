package io.github.idallocator.etcd;

import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A store that passes every call to another; the tests' stores override what they watch or change. */
abstract class ForwardingWorkerIdStore implements WorkerIdStore {

    /** The store every call goes to. */
    protected final WorkerIdStore store;

    ForwardingWorkerIdStore(WorkerIdStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public String instanceId() {
        return store.instanceId();
    }

    @Override
    public long minId() {
        return store.minId();
    }

    @Override
    public long maxId() {
        return store.maxId();
    }

    @Override
    public Duration recoveryPeriod() {
        return store.recoveryPeriod();
    }

    @Override
    public WorkerClaim claim(long preferredId, Duration ttl, String note) {
        return store.claim(preferredId, ttl, note);
    }

    @Override
    public @Nullable WorkerClaim claimAnother(Duration ttl, String note) {
        return store.claimAnother(ttl, note);
    }

    @Override
    public WorkerClaim renew(WorkerClaim claim, Duration ttl, String note) {
        return store.renew(claim, ttl, note);
    }

    @Override
    public boolean release(WorkerClaim claim, @Nullable String note) {
        return store.release(claim, note);
    }
}
