package io.github.idallocator.pool;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptError;
import io.github.idallocator.internal.ScriptRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The contract between the pool and its Lua scripts ({@code pool/*.lua}; see {@code lib_pool.lua}), the one place that
 * knows it: the pool's fourteen KEYS (passed to every script, all under the hash tag {@code {pool:<name>}}), each
 * operation's ARGV and how each reply decodes into a record.
 */
final class PoolScripts {

    private static final String DIR = "io/github/idallocator/pool";

    @SuppressWarnings("rawtypes")
    private static final LuaScript<List> INIT = LuaScripts.load(DIR, "init.lua"),
            ADD = LuaScripts.load(DIR, "add.lua"),
            REMOVE = LuaScripts.load(DIR, "remove.lua"),
            ACQUIRE = LuaScripts.load(DIR, "acquire.lua"),
            RENEW = LuaScripts.load(DIR, "renew.lua"),
            RELEASE = LuaScripts.load(DIR, "release.lua"),
            CANCEL = LuaScripts.load(DIR, "cancel.lua"),
            QUARANTINE = LuaScripts.load(DIR, "quarantine.lua"),
            RESTORE = LuaScripts.load(DIR, "restore.lua"),
            BINDING = LuaScripts.load(DIR, "binding.lua"),
            UNBIND = LuaScripts.load(DIR, "unbind.lua"),
            BINDINGS = LuaScripts.load(DIR, "bindings.lua"),
            SNAPSHOT = LuaScripts.load(DIR, "snapshot.lua"),
            MAINTAIN = LuaScripts.load(DIR, "maintain.lua"),
            CREATOR = LuaScripts.load(DIR, "creator.lua");

    /** The parts of the pool's keys, in KEYS order. */
    static final List<String> PARTS = List.of(
            "meta",
            "res",
            "free",
            "leases",
            "deadlines",
            "holders",
            "binds",
            "bindexp",
            "quar",
            "waiters",
            "wdead",
            "info",
            "revoked",
            "creator");

    /** How many expired items one script collects at most. */
    static final int COLLECT_LIMIT = 100;

    private final PoolConfig config;
    private final ScriptRunner runner;
    private final List<String> keys;
    private final String channel;
    private final String maxHolders;

    PoolScripts(StringRedisTemplate redis, PoolConfig config) {
        this.config = config;
        this.runner = new ScriptRunner(redis, config.describe(), this::decode);
        this.keys = keys(config);
        this.channel = releaseChannel(config);
        this.maxHolders = Integer.toString(config.maxHolders());
    }

    /** The pool's keys, {@code <prefix>:{pool:<name>}:<part>}, in KEYS order. */
    static List<String> keys(PoolConfig config) {
        KeyNames names = KeyNames.member(config.keyPrefix(), "pool", config.name());
        List<String> keys = new ArrayList<>(PARTS.size());
        for (String part : PARTS) {
            keys.add(names.key(part));
        }
        return List.copyOf(keys);
    }

    /** The channel on which releases publish the pool's name when callers wait: {@code <prefix>:pool-released:<name>}. */
    static String releaseChannel(PoolConfig config) {
        return config.keyPrefix() + ":pool-released:" + config.name();
    }

    String channel() {
        return channel;
    }

    private io.github.idallocator.@Nullable IdAllocatorException decode(ScriptError error) {
        if (error.code().equals("MISMATCH")) {
            return new ConfigurationMismatchException("Pool '" + config.name() + "' is stored in Redis with "
                    + error.field(0) + " " + error.field(1) + ", but this instance is configured with "
                    + error.field(2) + ". Configure the stored value, or use another pool name (a pool's holders per "
                    + "resource cannot change while it exists)");
        }
        return null;
    }

    /** init.lua: true when this call created the pool. */
    boolean init() {
        return number(run(INIT), 0) == 1;
    }

    /** add.lua: true when the resource is new. */
    boolean add(String resource, int priority, @Nullable String metadata) {
        return number(
                        run(
                                ADD,
                                resource,
                                Integer.toString(priority),
                                metadata == null ? "0" : "1",
                                metadata == null ? "" : metadata,
                                channel,
                                config.name()),
                        0)
                == 1;
    }

    /**
     * A reply of remove.
     *
     * @param found whether the pool had the resource
     * @param draining whether it drains until its holders leave (else it was deleted)
     * @param count the leases revoked (deleted) or its holders (draining)
     */
    record Removed(boolean found, boolean draining, long count) {}

    /** remove.lua. */
    Removed remove(String resource, Removal removal) {
        List<Object> reply = run(REMOVE, resource, removal.name());
        long code = number(reply, 0);
        return code == 0 ? new Removed(false, false, 0) : new Removed(true, code == 2, number(reply, 1));
    }

    /**
     * A reply of acquire.
     *
     * @param granted whether the caller holds a resource now
     * @param token its fencing token when granted
     * @param resource the resource when granted, else null
     * @param expiresAtMillis the lease's expiry (Redis server time) when granted
     * @param boundHit whether the bound resource was granted
     * @param holderMillisLeft when refused, ms until the earliest lease deadline (-1: no leases)
     */
    record Grant(
            boolean granted,
            long token,
            @Nullable String resource,
            long expiresAtMillis,
            boolean boundHit,
            long holderMillisLeft) {}

    /** acquire.lua; see its header for the arguments. */
    Grant acquire(
            String owner,
            long leaseMillis,
            @Nullable String binding,
            boolean waits,
            int waiterPriority,
            long ticketMillis) {
        List<Object> reply = run(
                ACQUIRE,
                owner,
                Long.toString(leaseMillis),
                binding == null ? "" : binding,
                Long.toString(config.bindingTtl().toMillis()),
                waits ? "1" : "0",
                Integer.toString(waiterPriority),
                Long.toString(ticketMillis),
                Integer.toString(COLLECT_LIMIT),
                channel,
                config.name());
        if (number(reply, 0) == 1) {
            return new Grant(
                    true, number(reply, 1), reply.get(2).toString(), number(reply, 3), number(reply, 4) == 1, 0);
        }
        return new Grant(false, 0, null, 0, false, number(reply, 1));
    }

    /** cancel.lua: gives up a waiter's ticket. */
    void cancel(String ticket) {
        run(CANCEL, ticket, channel, config.name());
    }

    /**
     * A reply of renew.
     *
     * @param renewed whether the lease was extended
     * @param expiresAtMillis its new expiry when renewed
     * @param revoked when not renewed, whether it was revoked (else it expired or Redis lost it)
     */
    record Renewal(boolean renewed, long expiresAtMillis, boolean revoked) {}

    /** renew.lua. */
    Renewal renew(String owner, long token, long leaseMillis) {
        List<Object> reply = run(RENEW, owner, Long.toString(token), Long.toString(leaseMillis));
        return number(reply, 0) == 1
                ? new Renewal(true, number(reply, 1), false)
                : new Renewal(false, 0, number(reply, 1) == 2);
    }

    /**
     * A reply of release.
     *
     * @param outcome what the release found
     * @param quarantined whether this release quarantined the resource (unhealthy reports reached the threshold)
     */
    record Release(ReleaseOutcome outcome, boolean quarantined) {}

    /** release.lua; {@code token} {@code ""} releases whatever lease {@code owner} holds. */
    Release release(String owner, String token, @Nullable Unhealthy unhealthy) {
        List<Object> reply = run(
                RELEASE,
                owner,
                token,
                unhealthy == null ? "0" : "1",
                unhealthy == null ? "0" : Long.toString(unhealthy.quarantine().toMillis()),
                unhealthy == null ? "" : unhealthy.reason(),
                Integer.toString(config.unhealthyThreshold()),
                Long.toString(config.unhealthyWindow().toMillis()),
                channel,
                config.name());
        return switch ((int) number(reply, 0)) {
            case 1 -> new Release(ReleaseOutcome.RELEASED, number(reply, 1) == 1);
            case 2 -> new Release(ReleaseOutcome.ALREADY_EXPIRED, false);
            case 4 -> new Release(ReleaseOutcome.REVOKED, false);
            default -> throw new IllegalStateException("release.lua answered " + reply);
        };
    }

    /** quarantine.lua: the end of the quarantine, or empty when the resource is missing or draining. */
    Optional<Instant> quarantine(String resource, long millis, String reason) {
        List<Object> reply = run(QUARANTINE, resource, Long.toString(millis), reason);
        return number(reply, 0) == 1 ? Optional.of(Instant.ofEpochMilli(number(reply, 1))) : Optional.empty();
    }

    /** restore.lua: true when the resource was quarantined. */
    boolean restore(String resource) {
        return number(run(RESTORE, resource, channel, config.name()), 0) == 1;
    }

    /** binding.lua. */
    Optional<Binding> binding(String name) {
        List<Object> reply = run(BINDING, name);
        return reply.isEmpty()
                ? Optional.empty()
                : Optional.of(new Binding(name, reply.get(0).toString(), Instant.ofEpochMilli(number(reply, 1))));
    }

    /** unbind.lua: true when a binding was removed. */
    boolean unbind(String name) {
        return number(run(UNBIND, name), 0) == 1;
    }

    /** bindings.lua. */
    BindingPage bindings(String cursor, int count) {
        List<Object> reply = run(BINDINGS, cursor, Integer.toString(count));
        List<Binding> page = new ArrayList<>();
        for (int i = 1; i + 2 < reply.size(); i += 3) {
            page.add(new Binding(
                    reply.get(i).toString(), reply.get(i + 1).toString(), Instant.ofEpochMilli(number(reply, i + 2))));
        }
        return new BindingPage(page, next(reply.get(0)));
    }

    /** snapshot.lua. */
    @SuppressWarnings("unchecked")
    PoolSnapshot snapshot(String cursor, int count) {
        List<Object> reply = run(SNAPSHOT, cursor, Integer.toString(count));
        Instant now = Instant.ofEpochMilli(number(reply, 1));
        int maxHolders = (int) number(reply, 2);
        List<Object> t = (List<Object>) reply.get(3);
        PoolSnapshot.Totals totals = new PoolSnapshot.Totals(
                number(t, 0),
                number(t, 1),
                number(t, 2),
                number(t, 3),
                number(t, 4),
                number(t, 5),
                number(t, 6),
                number(t, 7),
                number(t, 8),
                number(t, 9));
        List<Object> w = (List<Object>) reply.get(4);
        List<PoolSnapshot.Waiter> waiters = new ArrayList<>();
        for (int i = 0; i + 2 < w.size(); i += 3) {
            long score = (long) Double.parseDouble(w.get(i + 1).toString());
            int priority = (int) (1000 - score / 1_000_000_000_000L);
            waiters.add(new PoolSnapshot.Waiter(w.get(i).toString(), priority, Instant.ofEpochMilli(number(w, i + 2))));
        }
        List<ResourceInfo> resources = new ArrayList<>();
        for (int i = 5; i < reply.size(); i++) {
            resources.add(resource((List<Object>) reply.get(i), maxHolders));
        }
        return new PoolSnapshot(config.name(), maxHolders, now, resources, next(reply.get(0)), totals, waiters);
    }

    @SuppressWarnings("unchecked")
    private static ResourceInfo resource(List<Object> entry, int maxHolders) {
        String[] record = entry.get(1).toString().split("\\|");
        ResourceState state =
                switch (record[0]) {
                    case "D" -> ResourceState.DRAINING;
                    case "Q" -> ResourceState.QUARANTINED;
                    default -> ResourceState.ACTIVE;
                };
        long lastReleased = Long.parseLong(record[3]);
        long quarantinedUntil = Long.parseLong(record[4]);
        List<Object> h = (List<Object>) entry.get(4);
        List<ResourceInfo.Holder> holders = new ArrayList<>();
        for (int i = 0; i + 2 < h.size(); i += 3) {
            holders.add(new ResourceInfo.Holder(
                    h.get(i).toString(), number(h, i + 1), Instant.ofEpochMilli(number(h, i + 2))));
        }
        String reason = entry.get(3).toString();
        return new ResourceInfo(
                entry.get(0).toString(),
                state,
                Integer.parseInt(record[1]),
                holders,
                maxHolders,
                state == ResourceState.QUARANTINED ? Instant.ofEpochMilli(quarantinedUntil) : null,
                state == ResourceState.QUARANTINED ? reason : null,
                entry.get(2).toString(),
                lastReleased == 0 ? null : Instant.ofEpochMilli(lastReleased));
    }

    /**
     * A reply of maintain.
     *
     * @param expiredLeases leases collected after they expired
     * @param endedQuarantines quarantines that ended
     * @param tickets dead waiters' tickets removed
     * @param bindings expired bindings removed
     * @param revocations old revocations forgotten
     * @param quarantined quarantined resources (soonest end first) with their metadata, for the health check
     */
    record Maintenance(
            long expiredLeases,
            long endedQuarantines,
            long tickets,
            long bindings,
            long revocations,
            List<String[]> quarantined) {}

    /** maintain.lua. */
    Maintenance maintain(int quarantinedToList) {
        List<Object> reply = run(
                MAINTAIN, Integer.toString(COLLECT_LIMIT), Integer.toString(quarantinedToList), channel, config.name());
        List<String[]> quarantined = new ArrayList<>();
        for (int i = 5; i + 1 < reply.size(); i += 2) {
            quarantined.add(
                    new String[] {reply.get(i).toString(), reply.get(i + 1).toString()});
        }
        return new Maintenance(
                number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3), number(reply, 4), quarantined);
    }

    /** creator.lua: true when {@code instanceId} is creator now; a TTL of 0 gives the role up. */
    boolean creator(String instanceId, long ttlMillis) {
        return number(run(CREATOR, instanceId, Long.toString(ttlMillis)), 0) == 1;
    }

    /** Runs {@code script} on the pool's keys with {@code args} and, as the last ARGV of every script, maxHolders. */
    @SuppressWarnings("rawtypes")
    private List<Object> run(LuaScript<List> script, String... args) {
        String[] withCap = java.util.Arrays.copyOf(args, args.length + 1);
        withCap[args.length] = maxHolders;
        return runner.list(script, keys, withCap);
    }

    private static @Nullable String next(Object cursor) {
        String next = cursor.toString();
        return next.equals("0") ? null : next;
    }

    private static long number(List<Object> reply, int index) {
        return Long.parseLong(reply.get(index).toString());
    }
}
