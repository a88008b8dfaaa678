package io.github.idallocator.tasks;

import io.github.idallocator.internal.KeyNames;
import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.internal.ScriptRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The contract between the task queue and its Lua scripts ({@code tasks/*.lua}; see {@code lib_tasks.lua}), the one
 * place that knows it: the queue's eleven KEYS (passed to every script, all under the hash tag {@code
 * {tasks:<name>}}), each operation's ARGV, the six ARGV every script ends with, and how each reply decodes.
 */
final class TaskScripts {

    private static final String DIR = "io/github/idallocator/tasks";

    @SuppressWarnings("rawtypes")
    private static final LuaScript<List> SUBMIT = LuaScripts.load(DIR, "submit.lua"),
            CLAIM = LuaScripts.load(DIR, "claim.lua"),
            EXTEND = LuaScripts.load(DIR, "extend.lua"),
            PROGRESS = LuaScripts.load(DIR, "progress.lua"),
            COMPLETE = LuaScripts.load(DIR, "complete.lua"),
            COMPLETE_CLAIM = LuaScripts.load(DIR, "complete_claim.lua"),
            FAIL = LuaScripts.load(DIR, "fail.lua"),
            STATUS = LuaScripts.load(DIR, "status.lua"),
            DEAD = LuaScripts.load(DIR, "dead.lua"),
            STATS = LuaScripts.load(DIR, "stats.lua");
    private static final LuaScript<Long> REQUEUE = LuaScripts.loadLong(DIR, "requeue.lua"),
            PRESENCE = LuaScripts.loadLong(DIR, "presence.lua");

    /** The parts of the queue's keys, in KEYS order. */
    static final List<String> PARTS = List.of(
            "meta", "tasks", "payloads", "results", "errors", "ready", "due", "running", "dead", "expiry", "workers");

    /** How many items of each kind (due, expired, finished) one script moves at most. */
    static final int COLLECT_LIMIT = 100;

    private final TaskQueueConfig config;
    private final ScriptRunner runner;
    private final List<String> keys;
    private final String channel;
    private final String[] common;

    TaskScripts(StringRedisTemplate redis, TaskQueueConfig config) {
        this.config = config;
        this.runner = new ScriptRunner(redis, config.describe(), error -> null);
        this.keys = keys(config);
        this.channel = channel(config);
        this.common = new String[] {
            Long.toString(config.idleExpiry().toMillis()),
            Long.toString(config.retention().toMillis()),
            Long.toString(config.deadRetention().toMillis()),
            Integer.toString(config.maxAttempts()),
            Integer.toString(COLLECT_LIMIT),
            channel
        };
    }

    /** The queue's keys, {@code <prefix>:{tasks:<name>}:<part>}, in KEYS order. */
    static List<String> keys(TaskQueueConfig config) {
        KeyNames names = KeyNames.member(config.keyPrefix(), "tasks", config.name());
        List<String> keys = new ArrayList<>(PARTS.size());
        for (String part : PARTS) {
            keys.add(names.key(part));
        }
        return List.copyOf(keys);
    }

    /**
     * The channel on which the queue publishes {@code +} when a task became claimable and a task's id when it
     * finished: {@code <prefix>:tasks:<name>}.
     */
    static String channel(TaskQueueConfig config) {
        return config.keyPrefix() + ":tasks:" + config.name();
    }

    String channel() {
        return channel;
    }

    /** submit.lua. */
    Submission submit(String id, String payload, int priority, long delayMillis) {
        List<Object> reply = run(SUBMIT, id, payload, Integer.toString(priority), Long.toString(delayMillis));
        return new Submission(
                id, number(reply, 0) == 1, TaskState.of(reply.get(1).toString()));
    }

    /** One task of a claim reply. */
    record Claimed(String id, long token, int attempt, long deadlineMillis, String payload, long waitedMillis) {}

    /**
     * A reply of claim.
     *
     * @param nextDueMillis ms until the next delayed task is due, or -1 when none is delayed
     */
    record Claim(long nowMillis, long nextDueMillis, List<Claimed> tasks) {}

    /** claim.lua. */
    Claim claim(String owner, int maxTasks, long visibilityMillis) {
        List<Object> reply = run(CLAIM, owner, Integer.toString(maxTasks), Long.toString(visibilityMillis));
        return new Claim(number(reply, 0), number(reply, 1), claimed(reply, 2));
    }

    /**
     * A reply of complete_claim.
     *
     * @param completion as {@link #complete}'s reply
     * @param claimed the tasks claimed after it
     */
    record CompleteClaim(ClaimReply completion, List<Claimed> claimed) {}

    /** complete_claim.lua. */
    CompleteClaim completeAndClaim(ClaimedTask task, String result, String owner, int maxTasks, long visibilityMillis) {
        List<Object> reply = run(
                COMPLETE_CLAIM,
                task.id(),
                Long.toString(task.fencingToken()),
                result,
                owner,
                Integer.toString(maxTasks),
                Long.toString(visibilityMillis));
        String why = reply.get(1).toString();
        return new CompleteClaim(new ClaimReply(number(reply, 0) == 1, why.isEmpty() ? null : why), claimed(reply, 3));
    }

    /** The claimed tasks of a reply whose count is at {@code countAt}, each task's six fields after it. */
    private static List<Claimed> claimed(List<Object> reply, int countAt) {
        int count = (int) number(reply, countAt);
        List<Claimed> tasks = new ArrayList<>(count);
        for (int i = 0, at = countAt + 1; i < count; i++, at += 6) {
            tasks.add(new Claimed(
                    reply.get(at).toString(),
                    number(reply, at + 1),
                    (int) number(reply, at + 2),
                    number(reply, at + 3),
                    reply.get(at + 4).toString(),
                    number(reply, at + 5)));
        }
        return tasks;
    }

    /**
     * A reply of the scripts that act on a claim (extend, progress, complete, fail).
     *
     * @param done whether the script acted
     * @param detail extend: the new deadline (ms); fail: the state code; else null; when refused, why ({@code
     *     unknown}, {@code finished}, {@code stale} or {@code expired})
     */
    record ClaimReply(boolean done, @Nullable String detail) {}

    /** extend.lua. */
    ClaimReply extend(ClaimedTask task, long visibilityMillis) {
        return claimReply(run(EXTEND, task.id(), Long.toString(task.fencingToken()), Long.toString(visibilityMillis)));
    }

    /** progress.lua. */
    ClaimReply progress(ClaimedTask task, long current, long total) {
        return claimReply(run(
                PROGRESS, task.id(), Long.toString(task.fencingToken()), Long.toString(current), Long.toString(total)));
    }

    /** complete.lua. */
    ClaimReply complete(ClaimedTask task, String result) {
        return claimReply(run(COMPLETE, task.id(), Long.toString(task.fencingToken()), result));
    }

    /** fail.lua. */
    ClaimReply fail(ClaimedTask task, String error, boolean retry, long delayMillis) {
        return claimReply(run(
                FAIL,
                task.id(),
                Long.toString(task.fencingToken()),
                error,
                retry ? "1" : "0",
                Long.toString(delayMillis)));
    }

    /** status.lua. */
    Optional<TaskStatus> status(String id) {
        List<Object> reply = run(STATUS, id);
        if (reply.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(decode(id, reply.get(1).toString(), text(reply, 2), text(reply, 3)));
    }

    /** dead.lua. */
    DeadTaskPage dead(long offset, int count) {
        List<Object> reply = run(DEAD, Long.toString(offset), Integer.toString(count));
        long total = number(reply, 0);
        List<DeadTask> tasks = new ArrayList<>();
        for (int at = 1; at + 3 < reply.size(); at += 4) {
            String record = reply.get(at + 2).toString();
            int attempts = record.isEmpty() ? 0 : Integer.parseInt(record.split("\\|", -1)[1]);
            tasks.add(new DeadTask(
                    reply.get(at).toString(),
                    Instant.ofEpochMilli(number(reply, at + 1)),
                    attempts,
                    text(reply, at + 3)));
        }
        long next = offset + tasks.size();
        return new DeadTaskPage(tasks, total, tasks.size() < count || next >= total ? -1 : next);
    }

    /** requeue.lua. */
    boolean requeue(String id) {
        return runner.number(REQUEUE, keys, args(id)) == 1;
    }

    /** presence.lua. */
    long presence(String workerId, long presenceMillis) {
        return runner.number(PRESENCE, keys, args(workerId, Long.toString(presenceMillis)));
    }

    /** stats.lua. */
    TaskQueueStats stats() {
        List<Object> reply = run(STATS);
        long now = number(reply, 0);
        long oldest = number(reply, 7);
        return new TaskQueueStats(
                number(reply, 1),
                number(reply, 2),
                number(reply, 3),
                number(reply, 4),
                number(reply, 5),
                number(reply, 6),
                oldest < 0 ? null : Duration.ofMillis(Math.max(0, now - oldest)),
                number(reply, 8),
                number(reply, 9),
                number(reply, 10),
                number(reply, 11),
                number(reply, 12),
                number(reply, 13),
                number(reply, 14));
    }

    /** A task record ({@code state|attempt|token|priority|submittedMs|timeMs|progress|total|owner}) as a status. */
    private static TaskStatus decode(String id, String record, @Nullable String result, @Nullable String error) {
        String[] f = record.split("\\|", -1);
        TaskState state = TaskState.of(f[0]);
        long time = Long.parseLong(f[5]);
        return new TaskStatus(
                id,
                state,
                Integer.parseInt(f[1]),
                Integer.parseInt(f[3]),
                Instant.ofEpochMilli(Long.parseLong(f[4])),
                state == TaskState.WAITING ? null : Instant.ofEpochMilli(time),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                f[8].isEmpty() ? null : f[8],
                result,
                error);
    }

    private static ClaimReply claimReply(List<Object> reply) {
        return new ClaimReply(
                number(reply, 0) == 1, reply.size() > 1 ? reply.get(1).toString() : null);
    }

    @SuppressWarnings("rawtypes")
    private List<Object> run(LuaScript<List> script, String... args) {
        return runner.list(script, keys, args(args));
    }

    private String[] args(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + common.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return all;
    }

    private static @Nullable String text(List<Object> reply, int index) {
        Object value = index < reply.size() ? reply.get(index) : null;
        return value == null ? null : value.toString();
    }

    private static long number(List<Object> reply, int index) {
        return Long.parseLong(reply.get(index).toString());
    }
}
