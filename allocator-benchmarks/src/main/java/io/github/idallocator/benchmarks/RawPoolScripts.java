package io.github.idallocator.benchmarks;

import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.pool.PoolConfig;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;

/**
 * The library's own pool scripts ({@code acquire.lua}, {@code release.lua}, {@code maintain.lua}) sent directly with
 * EVALSHA on a plain Lettuce connection (sync API), with the keys and arguments the library passes for a plain
 * acquisition (no binding, no wait, default priority), a healthy release and a maintenance run without a health check:
 * what these operations cost without the library's client side (lease object, renewal scheduling, spring-data-redis).
 * The pool must exist: create it with {@code RedisResourcePool.createOrAttach} first; {@link #requireLayout(long)}
 * checks that the keys below are the ones the library wrote.
 */
public final class RawPoolScripts {

    private static final String DIR = "io/github/idallocator/pool";

    /** The parts of the pool's keys in the scripts' KEYS order ({@code lib_pool.lua}). */
    private static final List<String> PARTS = List.of(
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

    /** How many expired items one script collects at most: the library's limit. */
    static final String COLLECT_LIMIT = "100";

    private final RedisCommands<String, String> commands;
    private final PoolConfig config;
    private final String[] keys;
    private final String channel;
    private final String acquireSha;
    private final String releaseSha;
    private final String maintainSha;

    /**
     * Loads the three scripts into the server.
     *
     * @param commands a sync Lettuce connection (thread-safe; calls from several threads share it)
     * @param config the pool's configuration, as the library was given it
     */
    public RawPoolScripts(RedisCommands<String, String> commands, PoolConfig config) {
        this.commands = commands;
        this.config = config;
        KeyNames names = KeyNames.member(config.keyPrefix(), "pool", config.name());
        this.keys = PARTS.stream().map(names::key).toArray(String[]::new);
        this.channel = config.keyPrefix() + ":pool-released:" + config.name();
        this.acquireSha = load("acquire.lua");
        this.releaseSha = load("release.lua");
        this.maintainSha = load("maintain.lua");
    }

    private String load(String operation) {
        return commands.scriptLoad(LuaScripts.load(DIR, operation).redisScript().getScriptAsString());
    }

    /**
     * Fails unless the keys are the library's: the pool's meta hash names its holders per resource and the resource
     * hash holds {@code resources} entries.
     */
    public void requireLayout(long resources) {
        String maxHolders = commands.hget(keys[0], "maxHolders");
        long stored = commands.hlen(keys[1]);
        if (!Integer.toString(config.maxHolders()).equals(maxHolders) || stored != resources) {
            throw new IllegalStateException("the pool's keys are not where the raw scripts look (" + keys[0]
                    + " maxHolders=" + maxHolders + ", " + keys[1] + " holds " + stored + " resources, expected "
                    + resources + "): update RawPoolScripts to lib_pool.lua's layout");
        }
    }

    /** A granted acquisition: the owner id that holds it and its fencing token. */
    public record Grant(String owner, long token, String resource) {}

    /** acquire.lua for {@code owner} (unique per acquisition): one round trip; fails when nothing could be granted. */
    public Grant acquire(String owner, long leaseMillis) {
        List<Object> reply = commands.evalsha(
                acquireSha,
                ScriptOutputType.MULTI,
                keys,
                owner,
                Long.toString(leaseMillis),
                "",
                Long.toString(config.bindingTtl().toMillis()),
                "0",
                "0",
                Long.toString(2 * config.waitPollBound().toMillis() + 1000),
                COLLECT_LIMIT,
                channel,
                config.name(),
                maxHolders());
        if ((Long) reply.get(0) != 1) {
            throw new IllegalStateException("raw acquire of pool " + config.name() + " answered " + reply);
        }
        return new Grant(owner, (Long) reply.get(1), (String) reply.get(2));
    }

    /** release.lua of a healthy resource: one round trip; fails unless the lease was released. */
    public void release(Grant grant) {
        List<Object> reply = commands.evalsha(
                releaseSha,
                ScriptOutputType.MULTI,
                keys,
                grant.owner(),
                Long.toString(grant.token()),
                "0",
                "0",
                "",
                Integer.toString(config.unhealthyThreshold()),
                Long.toString(config.unhealthyWindow().toMillis()),
                channel,
                config.name(),
                maxHolders());
        if ((Long) reply.get(0) != 1) {
            throw new IllegalStateException("raw release of " + grant + " answered " + reply);
        }
    }

    /**
     * maintain.lua as the creator runs it without a health check: collects up to 100 expired leases, ended
     * quarantines, dead tickets, expired bindings and old revocations; one round trip.
     *
     * @return the script's reply: expired leases, ended quarantines, tickets, bindings, revocations collected
     */
    public List<Object> maintain() {
        return commands.evalsha(
                maintainSha, ScriptOutputType.MULTI, keys, COLLECT_LIMIT, "0", channel, config.name(), maxHolders());
    }

    /** The last ARGV of every pool script: the pool's maxHolders. */
    private String maxHolders() {
        return Integer.toString(config.maxHolders());
    }
}
