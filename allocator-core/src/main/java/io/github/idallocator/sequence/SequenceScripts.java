package io.github.idallocator.sequence;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptError;
import io.github.idallocator.internal.ScriptRunner;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The contract between the sequence allocator and its Lua scripts ({@code next_segment.lua}, {@code register.lua}; see
 * {@code lib_sequence.lua}), the one place that knows it: the one KEY, each operation's ARGV, how each reply decodes
 * into a record, and the errors the scripts raise. With {@code replicaAcks} a write counts only once that many
 * replicas confirmed it, else {@link io.github.idallocator.ReplicaAckException}.
 */
final class SequenceScripts {

    private static final String DIR = "io/github/idallocator/sequence";
    private static final String EXHAUSTED = "SEQUENCE_EXHAUSTED";
    private static final String RECOVERING = "RECOVERING";

    /** 2^63, the floor of a caller that was granted {@link Long#MAX_VALUE}: beyond every id. */
    private static final String BEYOND_MAX = "9223372036854775808";

    @SuppressWarnings("rawtypes")
    private static final LuaScript<List> NEXT_SEGMENT = LuaScripts.load(DIR, "next_segment.lua"),
            REGISTER = LuaScripts.load(DIR, "register.lua");

    private final SequenceConfig config;
    private final ScriptRunner runner;
    private final List<String> keys;

    SequenceScripts(StringRedisTemplate redis, SequenceConfig config) {
        this.config = config;
        this.runner = new ScriptRunner(redis, "sequence '" + config.name() + "'", this::decode);
        this.keys = List.of(KeyNames.of(config.keyPrefix(), config.name()).key("sequence"));
    }

    /**
     * A reply of next_segment: the segment {@code [first, last]} and whether the counter was below the floor and moved
     * up; or, for a new instance refused during the recovery period, {@code recovering} and when to retry.
     */
    record SegmentReply(boolean recovering, long retryAfterMs, long first, long last, boolean repaired) {}

    /** A reply of register: whether the counter was below the floor and moved, and the counter after the call. */
    record RegisterReply(boolean repaired, long counter) {}

    /**
     * next_segment.lua: a segment of {@code size} ids at or above {@code floor}; {@code gap} is added to the floor when
     * the counter is found below it; {@code newInstance} when the caller holds no id yet.
     *
     * @throws io.github.idallocator.IdsExhaustedException when no id is left below 2^63
     */
    SegmentReply nextSegment(int size, long floor, long gap, boolean newInstance) {
        List<Object> r = write(
                NEXT_SEGMENT,
                reply -> !RECOVERING.equals(reply.get(0).toString()),
                Integer.toString(size),
                Long.toString(floor),
                Long.toString(config.initialValue()),
                Long.toString(gap),
                Long.toString(config.recoveryPeriod().toMillis()),
                newInstance ? "1" : "0");
        if (RECOVERING.equals(r.get(0).toString())) {
            return new SegmentReply(true, number(r, 1), 0, -1, false);
        }
        return new SegmentReply(false, 0, number(r, 0), number(r, 1), number(r, 2) == 1);
    }

    /**
     * register.lua: confirms the ids up to {@code highWaterMark}; the counter is moved above them plus the repair gap
     * when it is below them.
     */
    RegisterReply register(long highWaterMark) {
        String floor = highWaterMark == Long.MAX_VALUE ? BEYOND_MAX : Long.toString(highWaterMark + 1);
        List<Object> r = write(
                REGISTER,
                reply -> number(reply, 0) == 1,
                floor,
                Long.toString(config.repairGap()),
                Long.toString(config.recoveryPeriod().toMillis()));
        return new RegisterReply(number(r, 0) == 1, numberOrMax(r.get(1).toString()));
    }

    /** The typed exceptions of the sequence scripts' own errors. */
    private @Nullable IdAllocatorException decode(ScriptError error) {
        if (error.code().equals(EXHAUSTED)) {
            return RedisSequenceAllocator.exhausted(config.name(), error.longField(1));
        }
        return null;
    }

    /**
     * Runs a script that grants a segment or repairs the counter; with {@code replicaAcks} its reply counts only once
     * that many replicas confirmed the write ({@code WAIT}), else {@link io.github.idallocator.ReplicaAckException}
     * (retryable; a segment granted without confirmation is never used, its ids are skipped).
     */
    @SuppressWarnings("rawtypes")
    private List<Object> write(LuaScript<List> script, Predicate<List<Object>> wrote, String... args) {
        if (config.replicaAcks() == 0) {
            return runner.list(script, keys, args);
        }
        return runner.listAcknowledged(script, keys, config.replicaAcks(), config.replicaAckTimeout(), wrote, args);
    }

    private static long number(List<Object> reply, int index) {
        return Long.parseLong(reply.get(index).toString());
    }

    /** A counter above {@link Long#MAX_VALUE} (2^63: every id was granted) as {@link Long#MAX_VALUE}. */
    private static long numberOrMax(String decimal) {
        try {
            return Long.parseLong(decimal);
        } catch (NumberFormatException beyond) {
            return Long.MAX_VALUE;
        }
    }
}
