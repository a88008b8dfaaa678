package io.github.idallocator.snowflake;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where Snowflake worker ids are claimed: the storage behind a {@link WorkerIdLease}, which keeps everything else
 * (waiting out the predecessor's last timestamp, self-fencing, events, re-acquiring) the same for every backend.
 *
 * <p>A claim is exclusive and expires by the store's clock unless renewed; its fencing token increases strictly with
 * every claim of the store; each worker id keeps a note (the latest timestamp its holder may use) that outlives the
 * claim and is handed to the next holder. Every failure is an {@link io.github.idallocator.IdAllocatorException}:
 * {@link io.github.idallocator.IdsExhaustedException} when no worker id is free, {@link
 * io.github.idallocator.NotOwnerException} when a claim is no longer the caller's, and a retryable subtype when the
 * store cannot be reached.
 */
public interface WorkerIdStore {

    /** A name for messages and logs, such as the allocator's name or the etcd key prefix. */
    String name();

    /** The id of this instance, the owner of its claims. */
    String instanceId();

    /** The first worker id the store hands out. */
    long minId();

    /** The last worker id the store hands out, inclusive. */
    long maxId();

    /**
     * How long the store, after it lost its state, hands out nothing so that live holders can re-register their
     * claims; {@link Duration#ZERO} for a store that never loses a confirmed claim.
     */
    Duration recoveryPeriod();

    /**
     * Claims {@code preferredId} when it is free, else another free worker id.
     *
     * @param preferredId the worker id to claim first, or -1 for any
     * @param ttl how long the claim lasts without renewal
     * @param note stored with the worker id for its next holder
     * @return the claim, with the note the worker id's previous holder left
     * @throws io.github.idallocator.IdsExhaustedException when no worker id is free
     */
    WorkerClaim claim(long preferredId, Duration ttl, String note);

    /**
     * Claims a free worker id other than the ones the caller holds, or none.
     *
     * @param ttl how long the claim lasts without renewal
     * @param note stored with the worker id for its next holder
     * @return the claim; {@code null} when no worker id is free
     */
    @Nullable
    WorkerClaim claimAnother(Duration ttl, String note);

    /**
     * Renews a claim and stores a new note with its worker id.
     *
     * @param claim the claim to renew
     * @param ttl how long the renewed claim lasts
     * @param note stored with the worker id for its next holder
     * @return the renewed claim, with a new local deadline
     * @throws io.github.idallocator.NotOwnerException when the worker id is no longer claimed by {@code claim}
     */
    WorkerClaim renew(WorkerClaim claim, Duration ttl, String note);

    /**
     * Ends a claim and stores a note with its worker id.
     *
     * @param claim the claim to end
     * @param note stored with the worker id for its next holder; {@code null} keeps the note it has
     * @return whether the claim was still the caller's
     */
    boolean release(WorkerClaim claim, @Nullable String note);
}
