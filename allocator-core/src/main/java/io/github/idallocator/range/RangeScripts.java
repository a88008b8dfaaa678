package io.github.idallocator.range;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptError;
import io.github.idallocator.internal.ScriptRunner;
import io.github.idallocator.range.RangeReplies.CreatorOnlyReply;
import io.github.idallocator.range.RangeReplies.ExtendReply;
import io.github.idallocator.range.RangeReplies.FreeReply;
import io.github.idallocator.range.RangeReplies.FreeRequest;
import io.github.idallocator.range.RangeReplies.GrantReply;
import io.github.idallocator.range.RangeReplies.Granted;
import io.github.idallocator.range.RangeReplies.HeartbeatReply;
import io.github.idallocator.range.RangeReplies.LeaseOfReply;
import io.github.idallocator.range.RangeReplies.ListReply;
import io.github.idallocator.range.RangeReplies.OccupancyReply;
import io.github.idallocator.range.RangeReplies.Outcome;
import io.github.idallocator.range.RangeReplies.StatsReply;
import io.github.idallocator.range.RangeReplies.StoredLease;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The contract between the range allocator and its Lua scripts, the one place that knows it: the nine KEYS in their
 * order, the common ARGV head and each operation's arguments, how each reply decodes into a record, and the errors the
 * scripts raise. Ids cross this class as ids; the scripts see offsets from {@code minId}. A grant that too few
 * replicas confirmed ({@code replicaAcks}) is released here before {@link ReplicaAckException} is thrown.
 */
final class RangeScripts {

    /** The storage layout this version writes; stored with the range as part of the configuration fingerprint. */
    static final String LAYOUT = "v2";

    /** The token of a free by owner alone, and the extent or expiry a caller does not know. */
    static final long ANY = -1;

    private static final Logger log = LoggerFactory.getLogger(RangeScripts.class);
    private static final String DIR = "io/github/idallocator/range";
    private static final String MISMATCH = "MISMATCH";

    /** The ids of one block of the full-block summary (BLOCK_BITS in lib_core.lua). */
    private static final long BLOCK_IDS = 4096;

    private static final String CORRUPT = "CORRUPT";

    @SuppressWarnings("rawtypes")
    private static final LuaScript<List> ALLOCATE = LuaScripts.load(DIR, "allocate.lua"),
            ALLOCATE_RANGE = LuaScripts.load(DIR, "allocate_range.lua"),
            RESERVE = LuaScripts.load(DIR, "reserve.lua"),
            FREE = LuaScripts.load(DIR, "free.lua"),
            FREE_MANY = LuaScripts.load(DIR, "free_many.lua"),
            EXTEND = LuaScripts.load(DIR, "extend.lua"),
            LEASE_OF = LuaScripts.load(DIR, "lease_of.lua"),
            STATS = LuaScripts.load(DIR, "stats.lua"),
            LIST_LEASES = LuaScripts.load(DIR, "list_leases.lua"),
            OCCUPANCY = LuaScripts.load(DIR, "occupancy.lua"),
            CLEANUP = LuaScripts.load(DIR, "cleanup.lua"),
            CLEAR_ALL = LuaScripts.load(DIR, "clear_all.lua"),
            CREATOR_HEARTBEAT = LuaScripts.load(DIR, "creator_heartbeat.lua");

    private static final LuaScript<Long> CREATOR_RELEASE = LuaScripts.loadLong(DIR, "creator_release.lua");

    private final IdAllocatorConfig config;
    private final ScriptRunner runner;
    private final List<String> keys;
    private final String[] head;

    RangeScripts(StringRedisTemplate redis, IdAllocatorConfig config) {
        this.config = config;
        this.runner = new ScriptRunner(redis, "allocator '" + config.name() + "'", this::decode);
        KeyNames names = KeyNames.of(config.keyPrefix(), config.name());
        this.keys = List.of(
                names.key("meta"),
                names.key("bitmap"),
                names.key("full"),
                names.key("leases"),
                names.key("deadlines"),
                names.key("ranges"),
                names.key("resting"),
                names.key("creator"),
                names.key("notes"));
        this.head = new String[] {
            Long.toString(config.minId()),
            Long.toString(config.maxId()),
            Long.toString(config.size()),
            Long.toString(config.reuseDelay().toMillis()),
            Long.toString(config.recoveryPeriod().toMillis())
        };
    }

    /** allocate.lua: {@code count} single-id leases. */
    GrantReply allocate(String owner, long ttlMs, int count, String note) {
        return grant(
                ALLOCATE, r -> decodeAllocate(r, owner), owner, Long.toString(ttlMs), Integer.toString(count), note);
    }

    private GrantReply decodeAllocate(List<Object> r, String owner) {
        List<StoredLease> leases = new ArrayList<>();
        for (int i = 3; status(r) == 1 && i + 2 < r.size(); i += 3) {
            long id = id(r, i);
            leases.add(new StoredLease(id, id, owner, at(r, i + 1), at(r, 2), (String) r.get(i + 2)));
        }
        return grantReply(r, leases);
    }

    /** allocate_range.lua: one lease of {@code count} contiguous ids. */
    GrantReply allocateRange(String owner, long ttlMs, int count, String note) {
        return grant(
                ALLOCATE_RANGE,
                r -> decodeAllocateRange(r, owner, count),
                owner,
                Long.toString(ttlMs),
                Integer.toString(count),
                note);
    }

    private GrantReply decodeAllocateRange(List<Object> r, String owner, int count) {
        if (status(r) != 1) {
            return grantReply(r, List.of());
        }
        long first = id(r, 3);
        return grantReply(
                r, List.of(new StoredLease(first, first + count - 1, owner, at(r, 4), at(r, 2), (String) r.get(5))));
    }

    /** reserve.lua: {@code [first, last]} as one lease if every id is free. */
    GrantReply reserve(String owner, long ttlMs, long first, long last, String note) {
        return grant(
                RESERVE,
                r -> decodeReserve(r, owner, first, last),
                owner,
                Long.toString(ttlMs),
                offset(first),
                offset(last),
                note);
    }

    private GrantReply decodeReserve(List<Object> r, String owner, long first, long last) {
        if (status(r) != 1) {
            return grantReply(r, List.of());
        }
        return grantReply(r, List.of(new StoredLease(first, last, owner, at(r, 3), at(r, 2), (String) r.get(4))));
    }

    private static GrantReply grantReply(List<Object> r, List<StoredLease> leases) {
        long status = status(r);
        if (status == -2) {
            return new GrantReply(Granted.RECOVERING, at(r, 1), ANY, ANY, at(r, 2), leases);
        }
        if (status == 0) {
            return new GrantReply(Granted.NO_ROOM, at(r, 1), ANY, r.size() > 2 ? at(r, 2) : ANY, 0, leases);
        }
        return new GrantReply(Granted.YES, at(r, 1), at(r, 2), ANY, 0, leases);
    }

    /** free.lua by its owner: the lease at {@code first}, under {@code token} ({@link #ANY}: any) and of that extent. */
    FreeReply free(String owner, long token, long first, long last, String note) {
        return decodeFree(run(FREE, owner, Long.toString(token), offset(first), offset(last), note));
    }

    /** free.lua without an owner: the lease at {@code id}, whoever holds it. */
    FreeReply forceFree(long id, String note) {
        return decodeFree(run(FREE, "", Long.toString(ANY), offset(id), Long.toString(ANY), note));
    }

    private FreeReply decodeFree(List<Object> r) {
        long status = status(r);
        if (status < 0) {
            return new FreeReply(Outcome.HELD_BY_OTHER, (String) r.get(2), at(r, 3), id(r, 4));
        }
        return new FreeReply(status == 1 ? Outcome.DONE : Outcome.GONE, "", ANY, ANY);
    }

    /** free_many.lua: ends each lease still held as requested; returns how many it ended. */
    int freeMany(Collection<FreeRequest> leases) {
        List<String> args = new ArrayList<>(1 + 5 * leases.size());
        args.add(Integer.toString(leases.size()));
        for (FreeRequest lease : leases) {
            args.add(lease.owner());
            args.add(Long.toString(lease.token()));
            args.add(offset(lease.firstId()));
            args.add(offset(lease.lastId()));
            args.add(lease.note());
        }
        return (int) at(run(FREE_MANY, args.toArray(String[]::new)), 0);
    }

    /**
     * extend.lua: renews the lease at {@code first}; with its {@code knownLast} and {@code formerExpiryMs} ({@link
     * #ANY}: unknown) a lease Redis lost is re-registered during the recovery period. An extension too few replicas
     * confirmed is left to expire.
     */
    ExtendReply extend(
            String owner, long token, long first, long ttlMs, String note, long knownLast, long formerExpiryMs) {
        List<Object> r = acknowledged(
                EXTEND,
                owner,
                Long.toString(token),
                offset(first),
                Long.toString(ttlMs),
                note,
                knownLast == ANY ? Long.toString(ANY) : offset(knownLast),
                Long.toString(formerExpiryMs));
        long status = status(r);
        if (status == 0) {
            StoredLease inside = r.size() > 2
                    ? new StoredLease(id(r, 2), id(r, 6), (String) r.get(3), at(r, 4), at(r, 5), "")
                    : null;
            return new ExtendReply(Outcome.GONE, at(r, 1), ANY, "", ANY, ANY, false, inside);
        }
        if (status < 0) {
            return new ExtendReply(
                    Outcome.HELD_BY_OTHER, at(r, 1), ANY, (String) r.get(2), at(r, 3), id(r, 4), false, null);
        }
        return new ExtendReply(Outcome.DONE, at(r, 1), at(r, 2), owner, at(r, 3), id(r, 4), at(r, 5) == 1, null);
    }

    /** lease_of.lua (read-only). */
    LeaseOfReply leaseOf(long id) {
        List<Object> r = run(LEASE_OF, offset(id));
        if (status(r) == 0) {
            return new LeaseOfReply(at(r, 1), Optional.empty());
        }
        return new LeaseOfReply(
                at(r, 1), Optional.of(new StoredLease(id(r, 2), id(r, 6), (String) r.get(3), at(r, 4), at(r, 5), "")));
    }

    /** list_leases.lua (read-only): values as stored, {@code owner|token|expiryMs|last offset}. */
    ListReply listLeases(String cursor, int pageSize) {
        List<Object> r = run(LIST_LEASES, cursor, Integer.toString(pageSize));
        List<StoredLease> leases = new ArrayList<>();
        for (int i = 2; i + 2 < r.size(); i += 3) {
            String[] v = ((String) r.get(i + 1)).split("\\|");
            leases.add(new StoredLease(
                    id(r, i),
                    config.minId() + Long.parseLong(v[3]),
                    v[0],
                    Long.parseLong(v[1]),
                    Long.parseLong(v[2]),
                    (String) r.get(i + 2)));
        }
        return new ListReply(at(r, 0), (String) r.get(1), leases);
    }

    /** stats.lua (read-only); the stored min and max it also returns (positions 9, 10) are not used. */
    StatsReply stats() {
        List<Object> r = run(STATS);
        return new StatsReply(
                at(r, 0),
                at(r, 1),
                at(r, 2),
                at(r, 3),
                at(r, 4),
                at(r, 5),
                at(r, 6),
                (String) r.get(7),
                at(r, 8),
                at(r, 11),
                at(r, 12),
                at(r, 13));
    }

    /**
     * occupancy.lua (read-only): at most {@code maxCells} cells. The exact picture arrives as the bitmap's bytes (one
     * char per byte, possibly shorter than the range: missing bytes are zeros), the others as one count per cell.
     */
    OccupancyReply occupancy(int maxCells) {
        List<Object> r = runner.listOfBytes(OCCUPANCY, keys, withHead(Integer.toString(maxCells)));
        long size = config.size();
        int precision = (int) at(r, 1);
        long unit = at(r, 2);
        int restingCount = (int) at(r, 4);
        List<Occupancy.IdRange> resting = new ArrayList<>(restingCount);
        for (int i = 5; i < 5 + restingCount; i++) {
            String member = (String) r.get(i);
            int dash = member.indexOf('-');
            resting.add(new Occupancy.IdRange(
                    config.minId() + Long.parseLong(member.substring(0, dash)),
                    config.minId() + Long.parseLong(member.substring(dash + 1))));
        }
        resting.sort(Comparator.comparingLong(Occupancy.IdRange::first));
        boolean truncated = at(r, 3) > restingCount;
        int payload = 5 + restingCount;
        if (precision == 0) {
            String bitmap = (String) r.get(payload);
            int[] taken = new int[(int) size];
            for (int i = 0; i < bitmap.length(); i++) {
                int b = bitmap.charAt(i);
                for (int bit = 0; bit < 8 && i * 8 + bit < size; bit++) {
                    taken[i * 8 + bit] = (b >> (7 - bit)) & 1;
                }
            }
            return new OccupancyReply(at(r, 0), Occupancy.Precision.EXACT_IDS, 1, taken, resting, truncated);
        }
        boolean fullBlocks = precision == 2;
        long idsPerCell = unit * 8 * (fullBlocks ? BLOCK_IDS : 1);
        int cells = (int) ((size + idsPerCell - 1) / idsPerCell);
        int[] taken = new int[cells];
        if (r.get(payload) instanceof String bytes) {
            countCells(bytes, (int) unit, fullBlocks, taken);
        } else {
            for (int c = 0; c < cells; c++) {
                taken[c] = (int) Math.min(Integer.MAX_VALUE, at(r, payload + c));
            }
        }
        Occupancy.Precision named = fullBlocks ? Occupancy.Precision.FULL_BLOCKS : Occupancy.Precision.COUNTED;
        return new OccupancyReply(at(r, 0), named, idsPerCell, taken, resting, truncated);
    }

    /**
     * Counts the set bits of {@code bytes} (one char per byte, missing bytes are zeros) per cell of {@code unit} bytes;
     * for the full-block summary, each bit is a block of {@value #BLOCK_IDS} ids and a full last block counts only the
     * ids up to the end of the range (as occupancy.lua does when it counts). Saturates at {@link Integer#MAX_VALUE}.
     */
    private void countCells(String bytes, int unit, boolean fullBlocks, int[] taken) {
        long[] counts = new long[taken.length];
        for (int i = 0; i < bytes.length(); i++) {
            counts[i / unit] += Integer.bitCount(bytes.charAt(i) & 0xff);
        }
        if (fullBlocks) {
            long blocks = (config.size() + BLOCK_IDS - 1) / BLOCK_IDS;
            long lastByte = (blocks - 1) / 8;
            boolean lastFull =
                    lastByte < bytes.length() && (bytes.charAt((int) lastByte) >> (7 - (blocks - 1) % 8) & 1) == 1;
            for (int c = 0; c < counts.length; c++) {
                counts[c] *= BLOCK_IDS;
            }
            if (lastFull) {
                counts[counts.length - 1] -= blocks * BLOCK_IDS - config.size();
            }
        }
        for (int c = 0; c < taken.length; c++) {
            taken[c] = (int) Math.min(Integer.MAX_VALUE, counts[c]);
        }
    }

    /** cleanup.lua: the creator reclaims at most {@code batch} expired leases and finished rests. */
    CreatorOnlyReply cleanup(String owner, int batch) {
        List<Object> r = run(CLEANUP, owner, Integer.toString(batch));
        return status(r) == 0
                ? new CreatorOnlyReply(false, (String) r.get(2), 0, false)
                : new CreatorOnlyReply(true, owner, at(r, 2), at(r, 3) == 1);
    }

    /** clear_all.lua: the creator deletes every lease. */
    CreatorOnlyReply clearAll(String owner) {
        List<Object> r = run(CLEAR_ALL, owner);
        return status(r) == 0
                ? new CreatorOnlyReply(false, (String) r.get(2), 0, false)
                : new CreatorOnlyReply(true, owner, 0, false);
    }

    /** creator_heartbeat.lua: whether the caller holds the creator lease after the call, and when the state was born. */
    HeartbeatReply creatorHeartbeat(String owner, long ttlMs) {
        List<Object> r = run(CREATOR_HEARTBEAT, owner, Long.toString(ttlMs));
        return new HeartbeatReply(status(r) > 0, at(r, 4));
    }

    /** creator_release.lua: true when the caller held the creator lease and gave it up. */
    boolean creatorRelease(String owner) {
        return runner.number(CREATOR_RELEASE, keys, withHead(owner)) == 1;
    }

    /** The typed exceptions of the range scripts' own errors (see lib_core.lua and allocate.lua). */
    private @Nullable IdAllocatorException decode(ScriptError error) {
        return switch (error.code()) {
            case MISMATCH -> new ConfigurationMismatchException("Allocator '" + config.name()
                    + "' is stored in Redis with ids [" + error.field(0) + ", " + error.field(1) + "] (layout "
                    + error.field(2) + ") but this instance is configured with [" + config.minId() + ", "
                    + config.maxId() + "] (layout " + LAYOUT + "). Use the stored range, another allocator name or "
                    + "key prefix, or delete the allocator's keys ("
                    + keys.get(0).replace(":meta", ":*")
                    + ") to recreate it.");
            case CORRUPT -> new IdAllocatorException("The state of allocator '" + config.name() + "' in Redis is "
                    + "inconsistent: its counters say " + error.field(0) + " ids are free but its bitmap has none. "
                    + "Please report it with the Redis version.");
            default -> null;
        };
    }

    private List<Object> run(@SuppressWarnings("rawtypes") LuaScript<List> script, String... args) {
        return runner.list(script, keys, withHead(args));
    }

    /**
     * Runs a script that hands out leases ({@code {1, ...}} when it did) and decodes its reply. When too few replicas
     * confirmed the grant ({@link #acknowledged}), its leases are released and {@link ReplicaAckException} is thrown.
     */
    private GrantReply grant(
            @SuppressWarnings("rawtypes") LuaScript<List> script,
            Function<List<Object>, GrantReply> decoder,
            String... args) {
        try {
            return decoder.apply(acknowledged(script, args));
        } catch (ReplicaAckException e) {
            releaseUnconfirmed(decoder.apply(e.reply()));
            throw e;
        }
    }

    /**
     * Runs a script that hands out or extends a lease ({@code {1, ...}} when it did). With {@code replicaAcks} its reply
     * counts only once that many replicas confirmed it (Redis {@code WAIT}), else {@link ReplicaAckException}; without,
     * no other command is sent.
     */
    private List<Object> acknowledged(@SuppressWarnings("rawtypes") LuaScript<List> script, String... args) {
        if (config.replicaAcks() == 0) {
            return run(script, args);
        }
        return runner.listAcknowledged(
                script, keys, config.replicaAcks(), config.replicaAckTimeout(), r -> status(r) == 1, withHead(args));
    }

    /**
     * Frees, best effort and in one script, the leases of a grant too few replicas confirmed: they were never handed to
     * a caller. The note each grant replaced is put back when there was one (otherwise the grant's note stays: a later
     * timestamp than needed, never an earlier one). When the free fails too, the leases expire after their lease time
     * (a lease without expiry stays until freed by id).
     */
    private void releaseUnconfirmed(GrantReply grant) {
        List<FreeRequest> leases = grant.leases().stream()
                .map(l -> new FreeRequest(l.owner(), l.token(), l.firstId(), l.lastId(), l.previousNote()))
                .toList();
        try {
            freeMany(leases);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not free the unconfirmed leases {} of allocator '{}'; they stay until they expire or are "
                            + "freed",
                    grant.leases(),
                    config.name(),
                    e);
        }
    }

    /** The common head of every range script's ARGV (see lib_core.lua), then the operation's arguments. */
    private String[] withHead(String... args) {
        String[] all = new String[head.length + args.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(args, 0, all, head.length, args.length);
        return all;
    }

    private String offset(long id) {
        return Long.toString(id - config.minId());
    }

    private long id(List<Object> reply, int index) {
        return config.minId() + at(reply, index);
    }

    private static long status(List<Object> reply) {
        return at(reply, 0);
    }

    private static long at(List<Object> reply, int index) {
        Object value = reply.get(index);
        if (value instanceof Long l) {
            return l;
        }
        return Long.parseLong(value.toString());
    }
}
