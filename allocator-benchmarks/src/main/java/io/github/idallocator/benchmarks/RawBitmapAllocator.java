package io.github.idallocator.benchmarks;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The baseline: the least a Redis bitmap allocator can do, with plain Lettuce (sync API) and EVALSHA. Allocate is one
 * script (BITPOS for the first 0 bit, SETBIT it to 1, return the offset), free is another (SETBIT the offset to 0), so
 * allocate+free costs two round trips, as the library's {@code allocate()} and {@code free(lease)} do. It keeps no
 * owner, no lease time, no fencing token and no counters, and it scans the bitmap from its start on every allocate.
 */
public final class RawBitmapAllocator {

    /** KEYS[1] bitmap, ARGV[1] size. Returns the offset it set, or -1 when every bit below size is 1. */
    static final String ALLOCATE_SCRIPT = "local p = redis.call('BITPOS', KEYS[1], 0)\n"
            + "if p >= tonumber(ARGV[1]) then return -1 end\n"
            + "redis.call('SETBIT', KEYS[1], p, 1)\n"
            + "return p\n";

    /** KEYS[1] bitmap, ARGV[1] offset. Clears the bit; returns 1. */
    static final String FREE_SCRIPT = "redis.call('SETBIT', KEYS[1], ARGV[1], 0)\nreturn 1\n";

    private final RedisCommands<String, String> commands;
    private final String[] keys;
    private final String size;
    private final String allocateSha;
    private final String freeSha;

    /**
     * Loads both scripts into the server.
     *
     * @param commands a sync Lettuce connection (thread-safe; calls from several threads share it)
     * @param key the bitmap's key
     * @param size the number of ids, offsets {@code 0 .. size - 1}
     */
    public RawBitmapAllocator(RedisCommands<String, String> commands, String key, long size) {
        this.commands = commands;
        this.keys = new String[] {key};
        this.size = Long.toString(size);
        this.allocateSha = commands.scriptLoad(ALLOCATE_SCRIPT);
        this.freeSha = commands.scriptLoad(FREE_SCRIPT);
    }

    /** Sets the lowest 0 bit and returns its offset; one EVALSHA round trip. */
    public long allocate() {
        Long offset = commands.evalsha(allocateSha, ScriptOutputType.INTEGER, keys, size);
        if (offset == null || offset < 0) {
            throw new IllegalStateException("raw bitmap " + keys[0] + " has no 0 bit below " + size);
        }
        return offset;
    }

    /** Clears the bit at {@code offset}; one EVALSHA round trip. */
    public void free(long offset) {
        commands.evalsha(freeSha, ScriptOutputType.INTEGER, keys, Long.toString(offset));
    }
}
