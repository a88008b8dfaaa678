package io.github.idallocator.test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Redis server directly, beside the code under test: its clock and what one allocator, sequence or other
 * primitive has stored (its keys share the hash tag {@code {name}}).
 */
public final class RedisInspection {

    /**
     * For every key of one allocator: its type and the SHA-1 of its DUMP (the full serialised value, not its time to
     * live). Computed inside Redis so binary values never cross the wire.
     */
    private static final String SNAPSHOT =
            """
            local out = {}
            for _, k in ipairs(redis.call('KEYS', ARGV[1])) do
              out[#out + 1] = k
              out[#out + 1] = redis.call('TYPE', k)['ok'] .. ' ' .. redis.sha1hex(redis.call('DUMP', k))
            end
            return out
            """;

    private RedisInspection() {}

    /** Redis server time in milliseconds ({@code TIME}), the clock every lease deadline is measured by. */
    public static long serverTimeMillis(RedisServerProcess server) {
        List<?> time = (List<?>) server.command("TIME");
        return Long.parseLong(time.get(0).toString()) * 1000
                + Long.parseLong(time.get(1).toString()) / 1000;
    }

    /**
     * Key name to "type sha1(DUMP)" of every key whose name holds the hash tag {@code {name}} (any key prefix): equal
     * snapshots mean nothing of {@code name} was written in between.
     */
    public static Map<String, String> snapshot(RedisServerProcess server, String name) {
        List<?> flat = (List<?>) server.command("EVAL", SNAPSHOT, "0", "*{" + name + "}*");
        Map<String, String> keys = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            keys.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return keys;
    }
}
