package io.github.idallocator.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.NoSuchLeaseException;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snowflake worker ids claimed from etcd: a {@link WorkerIdStore} over a jetcd {@link Client}. etcd replicates every
 * write through Raft before it answers, so a confirmed claim survives an etcd leader change (unlike a Redis primary
 * whose replica missed the last writes); {@link #recoveryPeriod()} is therefore zero.
 *
 * <p>Keys, under the namespace given (such as {@code idalloc/orders/}):
 *
 * <ul>
 *   <li>{@code <namespace>workers/<id>}: the claim; its value is the owner's instance id, it is attached to an etcd lease
 *       of the claim, so etcd deletes it when the lease expires;
 *   <li>{@code <namespace>notes/<id>}: the note (the latest timestamp the holder may use), <em>not</em> attached to the
 *       lease, so it outlives the claim and is handed to the next holder.
 * </ul>
 *
 * <p>Operations and their round trips:
 *
 * <ul>
 *   <li>{@link #claim}: grant an etcd lease with the TTL in whole seconds (rounded up, at least 1 s); then a
 *       transaction {@code createRevision(claim key) == 0 ⇒ GET note (the previous holder's), PUT note, PUT claim key
 *       with the lease, GET claim key} on the preferred id, and when it is taken (or none is preferred), one keys-only
 *       range read of the claimed ids and the same transaction on the free ids in random order (fewer collisions
 *       between concurrent claimers) until one succeeds, reading again at most 4 times while others win the races. Round
 *       trips without contention: 2 for a free preferred id, 3 otherwise (4 when the preferred id is taken). The
 *       fencing token is the claim key's create revision: etcd revisions are cluster-wide and increase with every
 *       write, so a later claim always has a larger token. When no id is free, or a request fails, the lease is revoked
 *       (so a claim written by a request whose answer was lost disappears with it) and {@link IdsExhaustedException}
 *       thrown, or the failure.
 *   <li>{@link #renew}: {@code keepAliveOnce} of the claim's lease (a TTL of zero or less, or an unknown lease, means
 *       the claim is lost), then a transaction {@code createRevision(claim key) == token ⇒ PUT note} — 2 round trips.
 *       Renewal is driven by the caller's scheduler; jetcd's streaming {@code keepAlive()} is not used because it keeps
 *       its own deadline from the time a reply arrived and drops the lease silently.
 *   <li>{@link #release}: a transaction {@code createRevision(claim key) == token ⇒ PUT note, DELETE claim key}, then
 *       revoke the lease — 2 round trips.
 * </ul>
 *
 * <p>The local deadline of a claim is {@link System#nanoTime()} taken <em>before</em> the lease grant or keep-alive was
 * sent, plus the TTL etcd granted in its reply: etcd's countdown cannot have started earlier. etcd treats a lease TTL
 * as a hint: it enforces a server minimum (tied to its election timeout) and a new leader restarts every lease's full
 * TTL, so a claim can outlive its TTL in etcd (others wait longer; never shorter). Use TTLs of several seconds; etcd
 * checks expiry about every 500 ms. A claim's TTL is fixed when it is made: a renewal restores the TTL granted at
 * claim, whatever {@code ttl} it is given.
 *
 * <p>Every call waits at most the configured timeout (5 s by default) for each etcd request. Failures are typed: {@link
 * EtcdUnavailableException} (retryable) when etcd cannot be reached, does not answer in time or has no leader; {@link
 * EtcdRefusedException} when it refuses for a reason that retrying does not fix; {@link NotOwnerException} when a claim
 * is no longer the caller's. The client is the caller's: this store never closes it.
 */
public final class EtcdWorkerIdStore implements WorkerIdStore {

    private static final Logger LOGGER = LoggerFactory.getLogger(EtcdWorkerIdStore.class);

    /** The default time to wait for each etcd request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The most worker ids one store can manage (its range is read in one request). */
    public static final long MAX_RANGE_SIZE = 1L << 16;

    private static final int MAX_SCAN_ROUNDS = 4;

    private final Client client;
    private final String namespace;
    private final long minId;
    private final long maxId;
    private final String instanceId;
    private final Duration timeout;
    private final ByteSequence workersPrefix;

    /**
     * Creates the store with the default timeout of 5 s per request.
     *
     * @param client the etcd client; the caller closes it
     * @param namespace the key prefix, such as {@code idalloc/orders/}; every key of the store starts with it
     * @param minId the first worker id handed out, at least 0
     * @param maxId the last worker id handed out, inclusive
     * @param instanceId the owner written into the claims of this store
     */
    public EtcdWorkerIdStore(Client client, String namespace, long minId, long maxId, String instanceId) {
        this(client, namespace, minId, maxId, instanceId, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the store.
     *
     * @param client the etcd client; the caller closes it
     * @param namespace the key prefix, such as {@code idalloc/orders/}; every key of the store starts with it
     * @param minId the first worker id handed out, at least 0
     * @param maxId the last worker id handed out, inclusive
     * @param instanceId the owner written into the claims of this store
     * @param timeout how long to wait for each etcd request, positive
     */
    public EtcdWorkerIdStore(
            Client client, String namespace, long minId, long maxId, String instanceId, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(timeout, "timeout");
        if (namespace.isEmpty()) {
            throw new InvalidArgumentException(
                    "namespace", namespace, "etcd namespace is empty", "use a key prefix such as 'idalloc/orders/'");
        }
        if (minId < 0) {
            throw new InvalidArgumentException(
                    "minId",
                    minId,
                    "minId " + minId + " of etcd namespace '" + namespace + "' is negative",
                    "use 0 or more");
        }
        if (maxId < minId) {
            throw new InvalidArgumentException(
                    "maxId",
                    maxId,
                    "maxId " + maxId + " of etcd namespace '" + namespace + "' is below minId " + minId,
                    "use a maxId of at least " + minId);
        }
        if (maxId - minId + 1 > MAX_RANGE_SIZE) {
            throw new InvalidArgumentException(
                    "maxId",
                    maxId,
                    "worker id range " + minId + ".." + maxId + " of etcd namespace '" + namespace
                            + "' holds more than " + MAX_RANGE_SIZE + " ids",
                    "use at most " + MAX_RANGE_SIZE + " worker ids");
        }
        if (instanceId.isEmpty()) {
            throw new InvalidArgumentException(
                    "instanceId", instanceId, "instanceId is empty", "use a name for this instance, such as its host");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidArgumentException(
                    "timeout", timeout, "etcd timeout " + timeout + " is not positive", "use a timeout such as PT5S");
        }
        this.namespace = namespace;
        this.minId = minId;
        this.maxId = maxId;
        this.instanceId = instanceId;
        this.timeout = timeout;
        this.workersPrefix = bytes(namespace + "workers/");
    }

    @Override
    public String name() {
        return namespace;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public long minId() {
        return minId;
    }

    @Override
    public long maxId() {
        return maxId;
    }

    /** Zero: etcd never loses a confirmed claim (every write is committed by a majority before it is confirmed). */
    @Override
    public Duration recoveryPeriod() {
        return Duration.ZERO;
    }

    /** The time each etcd request may take before the call fails with {@link EtcdUnavailableException}. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public WorkerClaim claim(long preferredId, Duration ttl, String note) {
        if (preferredId != -1 && (preferredId < minId || preferredId > maxId)) {
            throw new InvalidArgumentException(
                    "preferredId",
                    preferredId,
                    "preferred worker id " + preferredId + " is outside " + minId + ".." + maxId
                            + " of etcd namespace '" + namespace + "'",
                    "use -1 or an id in " + minId + ".." + maxId);
        }
        WorkerClaim claim = tryClaim(preferredId, ttl, note);
        if (claim == null) {
            throw new IdsExhaustedException("every worker id in " + minId + ".." + maxId + " of etcd namespace '"
                    + namespace + "' is claimed; wait for a holder to stop, or widen the range");
        }
        return claim;
    }

    @Override
    public @Nullable WorkerClaim claimAnother(Duration ttl, String note) {
        return tryClaim(-1, ttl, note);
    }

    private @Nullable WorkerClaim tryClaim(long preferredId, Duration ttl, String note) {
        Objects.requireNonNull(note, "note");
        long ttlSeconds = ttlSeconds(ttl);
        long sentNanos = System.nanoTime();
        Instant sentAt = Instant.now();
        LeaseGrantResponse grant =
                call("grant a lease", () -> client.getLeaseClient().grant(ttlSeconds));
        long leaseId = grant.getID();
        long grantedSeconds = grant.getTTL();
        boolean claimed = false;
        try {
            Set<Long> tried = new HashSet<>();
            if (preferredId != -1) {
                // the preferred id first, without reading the others: a restart re-claims its id in 2 round trips
                tried.add(preferredId);
                WorkerClaim claim = claimOne(preferredId, leaseId, grantedSeconds, sentNanos, sentAt, note);
                if (claim != null) {
                    claimed = true;
                    return claim;
                }
            }
            for (int round = 0; round < MAX_SCAN_ROUNDS; round++) {
                List<Long> candidates = freeIds(tried);
                if (candidates.isEmpty()) {
                    return null;
                }
                for (long id : candidates) {
                    tried.add(id);
                    WorkerClaim claim = claimOne(id, leaseId, grantedSeconds, sentNanos, sentAt, note);
                    if (claim != null) {
                        claimed = true;
                        return claim;
                    }
                }
            }
            return null;
        } finally {
            if (!claimed) {
                revokeQuietly(leaseId);
            }
        }
    }

    /** The free ids not tried yet, by one keys-only read, shuffled. */
    private List<Long> freeIds(Set<Long> tried) {
        GetResponse taken = call("read the claimed worker ids", () -> client.getKVClient()
                .get(
                        workersPrefix,
                        GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
        Set<Long> claimedIds = new HashSet<>();
        String prefix = namespace + "workers/";
        for (KeyValue kv : taken.getKvs()) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            try {
                claimedIds.add(Long.parseLong(key.substring(prefix.length())));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                LOGGER.debug("ignoring key {} under {}", key, prefix);
            }
        }
        List<Long> free = new ArrayList<>();
        for (long id = minId; id <= maxId; id++) {
            if (!claimedIds.contains(id) && !tried.contains(id)) {
                free.add(id);
            }
        }
        Collections.shuffle(free, ThreadLocalRandom.current());
        return free;
    }

    private @Nullable WorkerClaim claimOne(
            long id, long leaseId, long grantedSeconds, long sentNanos, Instant sentAt, String note) {
        try {
            return claimOneTxn(id, leaseId, grantedSeconds, sentNanos, sentAt, note);
        } catch (LeaseGoneException e) {
            throw new EtcdUnavailableException(
                    "the etcd lease granted to claim a worker id of namespace '" + namespace
                            + "' expired before the claim was written (TTL " + grantedSeconds
                            + " s); etcd answers too slowly for this TTL",
                    e);
        }
    }

    private @Nullable WorkerClaim claimOneTxn(
            long id, long leaseId, long grantedSeconds, long sentNanos, Instant sentAt, String note) {
        ByteSequence claimKey = claimKey(id);
        TxnResponse txn = call("claim worker id " + id, () -> client.getKVClient()
                .txn()
                .If(new Cmp(claimKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(
                        Op.get(noteKey(id), GetOption.DEFAULT),
                        Op.put(noteKey(id), bytes(note), PutOption.DEFAULT),
                        Op.put(
                                claimKey,
                                bytes(instanceId),
                                PutOption.builder().withLeaseId(leaseId).build()),
                        Op.get(claimKey, GetOption.DEFAULT))
                .commit());
        if (!txn.isSucceeded()) {
            return null;
        }
        List<GetResponse> gets = txn.getGetResponses();
        String previousNote = gets.get(0).getKvs().isEmpty()
                ? null
                : gets.get(0).getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
        long token = gets.get(1).getKvs().isEmpty()
                ? txn.getHeader().getRevision()
                : gets.get(1).getKvs().get(0).getCreateRevision();
        Handle handle = new Handle(leaseId, token, grantedSeconds);
        return new WorkerClaim(
                id,
                instanceId,
                token,
                sentAt.plusSeconds(grantedSeconds),
                sentNanos + TimeUnit.SECONDS.toNanos(grantedSeconds),
                previousNote,
                handle);
    }

    @Override
    public WorkerClaim renew(WorkerClaim claim, Duration ttl, String note) {
        Objects.requireNonNull(note, "note");
        ttlSeconds(ttl);
        Handle handle = handle(claim);
        long sentNanos = System.nanoTime();
        Instant sentAt = Instant.now();
        LeaseKeepAliveResponse keepAlive;
        try {
            keepAlive = call("renew the lease of worker id " + claim.workerId(), () -> client.getLeaseClient()
                    .keepAliveOnce(handle.leaseId()));
        } catch (LeaseGoneException e) {
            throw lost(claim, "its etcd lease expired", e);
        }
        if (keepAlive.getTTL() <= 0) {
            throw lost(claim, "its etcd lease expired", null);
        }
        long grantedSeconds = keepAlive.getTTL();
        ByteSequence claimKey = claimKey(claim.workerId());
        TxnResponse txn = call("store the note of worker id " + claim.workerId(), () -> client.getKVClient()
                .txn()
                .If(new Cmp(claimKey, Cmp.Op.EQUAL, CmpTarget.createRevision(handle.createRevision())))
                .Then(Op.put(noteKey(claim.workerId()), bytes(note), PutOption.DEFAULT))
                .commit());
        if (!txn.isSucceeded()) {
            throw lost(claim, "its claim key was deleted or claimed again", null);
        }
        return new WorkerClaim(
                claim.workerId(),
                claim.owner(),
                claim.fencingToken(),
                sentAt.plusSeconds(grantedSeconds),
                sentNanos + TimeUnit.SECONDS.toNanos(grantedSeconds),
                claim.previousNote(),
                new Handle(handle.leaseId(), handle.createRevision(), grantedSeconds));
    }

    @Override
    public boolean release(WorkerClaim claim, @Nullable String note) {
        Handle handle = handle(claim);
        ByteSequence claimKey = claimKey(claim.workerId());
        List<Op> then = new ArrayList<>();
        if (note != null) {
            then.add(Op.put(noteKey(claim.workerId()), bytes(note), PutOption.DEFAULT));
        }
        then.add(Op.delete(claimKey, DeleteOption.DEFAULT));
        TxnResponse txn = call("release worker id " + claim.workerId(), () -> client.getKVClient()
                .txn()
                .If(new Cmp(claimKey, Cmp.Op.EQUAL, CmpTarget.createRevision(handle.createRevision())))
                .Then(then.toArray(new Op[0]))
                .commit());
        revokeQuietly(handle.leaseId());
        return txn.isSucceeded();
    }

    private void revokeQuietly(long leaseId) {
        try {
            call("revoke lease " + Long.toHexString(leaseId), () -> client.getLeaseClient()
                    .revoke(leaseId));
        } catch (LeaseGoneException e) {
            // already expired: nothing left to revoke
        } catch (IdAllocatorException e) {
            LOGGER.debug("could not revoke etcd lease {}; it expires by its TTL", Long.toHexString(leaseId), e);
        }
    }

    private NotOwnerException lost(WorkerClaim claim, String why, @Nullable Throwable cause) {
        NotOwnerException e = new NotOwnerException("worker id " + claim.workerId() + " of etcd namespace '" + namespace
                + "' is no longer claimed by " + claim.owner() + " (token " + claim.fencingToken() + "): " + why);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private Handle handle(WorkerClaim claim) {
        Objects.requireNonNull(claim, "claim");
        if (!(claim.handle() instanceof Handle handle)) {
            throw new InvalidArgumentException(
                    "claim",
                    claim,
                    "claim of worker id " + claim.workerId() + " was not made by an etcd store",
                    "renew and release a claim with the store that made it");
        }
        return handle;
    }

    private long ttlSeconds(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new InvalidArgumentException(
                    "ttl",
                    ttl,
                    "worker id ttl " + ttl + " is not positive",
                    "use a ttl of several seconds, such as PT10S");
        }
        long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    private ByteSequence claimKey(long id) {
        return bytes(namespace + "workers/" + id);
    }

    private ByteSequence noteKey(long id) {
        return bytes(namespace + "notes/" + id);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits at most {@link #timeout} for one etcd request and types its failure. */
    private <T> T call(String what, Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> future;
        try {
            future = request.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EtcdUnavailableException(
                    "etcd did not answer within " + timeout + " to " + what + " (namespace '" + namespace
                            + "'); check that etcd is up, has a leader and is reachable",
                    e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdUnavailableException(
                    "interrupted while waiting for etcd to " + what + " (namespace '" + namespace + "')", e);
        } catch (ExecutionException e) {
            throw translate(what, e.getCause() == null ? e : e.getCause());
        }
    }

    private IdAllocatorException translate(String what, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IdAllocatorException e) {
            return e;
        }
        if (cause instanceof NoSuchLeaseException) {
            return new LeaseGoneException(what, cause);
        }
        Status.Code code = null;
        if (cause instanceof EtcdException e) {
            code = Status.Code.valueOf(e.getErrorCode().name());
            if (code == Status.Code.NOT_FOUND && String.valueOf(e.getMessage()).contains("lease not found")) {
                return new LeaseGoneException(what, cause);
            }
        } else if (cause instanceof StatusRuntimeException e) {
            code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND
                    && String.valueOf(e.getStatus().getDescription()).contains("lease not found")) {
                return new LeaseGoneException(what, cause);
            }
        }
        if (code == null) {
            return new EtcdUnavailableException(
                    "etcd could not " + what + " (namespace '" + namespace + "'): " + cause, cause);
        }
        switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED, UNKNOWN, INTERNAL:
                return new EtcdUnavailableException(
                        "etcd could not " + what + " (namespace '" + namespace + "'), " + code + ": "
                                + cause.getMessage() + "; check that etcd is up, has a leader and is reachable",
                        cause);
            default:
                return new EtcdRefusedException(
                        "etcd refused to " + what + " (namespace '" + namespace + "'), " + code + ": "
                                + cause.getMessage()
                                + "; check the credentials and the roles' permissions on the prefix",
                        code.name(),
                        cause);
        }
    }

    /** What a claim needs to be renewed or released: its etcd lease and the create revision of its claim key. */
    private record Handle(long leaseId, long createRevision, long ttlSeconds) {}

    /** The lease of a claim is unknown to etcd (expired or revoked); internal, turned into a lost claim. */
    private static final class LeaseGoneException extends IdAllocatorException {

        private static final long serialVersionUID = 1L;

        LeaseGoneException(String what, Throwable cause) {
            super("etcd no longer knows the lease used to " + what, cause);
        }
    }
}
