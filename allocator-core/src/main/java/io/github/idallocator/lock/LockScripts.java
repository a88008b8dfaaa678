package io.github.idallocator.lock;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptRunner;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The contract between the lock service and its Lua scripts ({@code acquire.lua}, {@code renew.lua}, {@code
 * release.lua}; see {@code lib_lock.lua}), the one place that knows it: the one KEY per lock, each operation's ARGV and
 * how each reply decodes into a record. With {@code replicaAcks}, an acquisition or renewal counts only once that many
 * replicas confirmed it ({@code WAIT}), else {@link ReplicaAckException}; an acquisition not confirmed is released.
 */
final class LockScripts {

    private static final String DIR = "io/github/idallocator/lock";

    @SuppressWarnings("rawtypes")
    private static final LuaScript<List> ACQUIRE = LuaScripts.load(DIR, "acquire.lua"),
            RENEW = LuaScripts.load(DIR, "renew.lua"),
            RELEASE = LuaScripts.load(DIR, "release.lua");

    private static final Predicate<List<Object>> GRANTED = reply -> number(reply, 0) == 1;

    private final LockConfig config;
    private final ScriptRunner runner;
    private final String channel;
    private final String retentionMillis;

    LockScripts(StringRedisTemplate redis, LockConfig config) {
        this.config = config;
        this.runner = new ScriptRunner(redis, "lock namespace '" + config.namespace() + "'", error -> null);
        this.channel = releaseChannel(config);
        this.retentionMillis = Long.toString(config.tokenRetention().toMillis());
    }

    /**
     * The pub/sub channel on which the release script publishes the names of released locks: {@code
     * <prefix>:lock-released:<namespace>}.
     */
    static String releaseChannel(LockConfig config) {
        return config.keyPrefix() + ":lock-released:" + config.namespace();
    }

    /** The one key of lock {@code name}: {@code <prefix>:{<namespace>:<name>}:lock}. */
    static String key(LockConfig config, String name) {
        return KeyNames.member(config.keyPrefix(), config.namespace(), name).key("lock");
    }

    String channel() {
        return channel;
    }

    /**
     * A reply of acquire: granted with its token, or refused with the milliseconds left of the holder's lease.
     *
     * @param granted whether the caller holds the lock
     * @param token the caller's fencing token when granted
     * @param holderMillisLeft when refused, the time left of the holder's lease
     */
    record Grant(boolean granted, long token, long holderMillisLeft) {}

    /**
     * A reply of renew.
     *
     * @param renewed whether the lease was extended
     * @param holderToken when not renewed, the token of the owner holding the lock now; -1 when nobody does
     */
    record Renewal(boolean renewed, long holderToken) {}

    /**
     * A reply of release.
     *
     * @param outcome what the release found
     * @param holderToken the token of the owner holding the lock now, for {@link ReleaseOutcome#HELD_BY_OTHER}
     */
    record Release(ReleaseOutcome outcome, long holderToken) {}

    /**
     * acquire.lua: the lock for {@code owner} when nobody (or {@code owner} itself) holds it. A caller that {@code
     * waits} marks a held lock, so that its release publishes a wake-up.
     *
     * @throws ReplicaAckException when too few replicas confirmed a grant; the grant was released
     */
    Grant acquire(String name, String owner, long leaseMillis, boolean waits) {
        List<String> keys = List.of(key(config, name));
        String lease = Long.toString(leaseMillis);
        String waiting = waits ? "1" : "0";
        if (config.replicaAcks() == 0) {
            return grant(runner.list(ACQUIRE, keys, owner, lease, waiting));
        }
        try {
            return grant(runner.listAcknowledged(
                    ACQUIRE, keys, config.replicaAcks(), config.replicaAckTimeout(), GRANTED, owner, lease, waiting));
        } catch (ReplicaAckException e) {
            Grant unconfirmed = grant(e.reply());
            if (unconfirmed.granted()) {
                try {
                    release(name, owner, Long.toString(unconfirmed.token()));
                } catch (IdAllocatorException releaseFailed) {
                    e.addSuppressed(releaseFailed);
                }
            }
            throw e;
        }
    }

    /**
     * renew.lua: extends the lease of {@code owner} under {@code token}.
     *
     * @throws ReplicaAckException when too few replicas confirmed the extension (it does not count)
     */
    Renewal renew(String name, String owner, long token, long leaseMillis) {
        List<String> keys = List.of(key(config, name));
        String[] args = {owner, Long.toString(token), Long.toString(leaseMillis)};
        List<Object> reply = config.replicaAcks() == 0
                ? runner.list(RENEW, keys, args)
                : runner.listAcknowledged(RENEW, keys, config.replicaAcks(), config.replicaAckTimeout(), GRANTED, args);
        return number(reply, 0) == 1 ? new Renewal(true, 0) : new Renewal(false, number(reply, 1));
    }

    /**
     * release.lua: ends the lease of {@code owner} under {@code token} ({@code ""}: whatever token {@code owner}
     * holds).
     */
    Release release(String name, String owner, String token) {
        List<Object> reply =
                runner.list(RELEASE, List.of(key(config, name)), owner, token, retentionMillis, channel, name);
        return switch ((int) number(reply, 0)) {
            case 1 -> new Release(ReleaseOutcome.RELEASED, 0);
            case 2 -> new Release(ReleaseOutcome.ALREADY_EXPIRED, -1);
            case 3 -> new Release(ReleaseOutcome.HELD_BY_OTHER, number(reply, 1));
            default -> throw new IllegalStateException("release.lua answered " + reply);
        };
    }

    private static Grant grant(List<Object> reply) {
        return number(reply, 0) == 1 ? new Grant(true, number(reply, 1), 0) : new Grant(false, 0, number(reply, 1));
    }

    private static long number(List<Object> reply, int index) {
        return Long.parseLong(reply.get(index).toString());
    }
}
