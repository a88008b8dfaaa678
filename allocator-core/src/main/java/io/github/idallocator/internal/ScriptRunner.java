package io.github.idallocator.internal;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisRefusedException;
import io.github.idallocator.RedisSetupException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.ReplicaAckException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/**
 * Runs Lua scripts through a {@link StringRedisTemplate} (EVALSHA, falling back to EVAL once per server when the
 * script cache is empty) and turns client failures into idallocator's typed exceptions: a script's own error ({@link
 * ScriptError}) through the concept's {@link ScriptError.Decoder}, Redis refusals by their error code, an unreachable
 * or silent Redis ({@link UnavailableRedis}) as {@link RedisUnavailableException}, anything else as an {@link
 * IdAllocatorException} that names the file and line of a Lua error.
 */
public final class ScriptRunner {

    /**
     * The error code of a Redis refusal: the first word of an error reply (at the start of a line of the messages of
     * the cause chain), or, for a command refused inside a script on Redis 6.2, the word after a '-' in "ERR Error
     * running script ... -NOREPLICAS ...".
     */
    private static final Pattern REFUSAL = Pattern.compile(
            "(?m)(?:^|-)(NOREPLICAS|READONLY|MASTERDOWN|LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|OOM|MOVED|ASK|NOPERM|NOAUTH"
                    + "|WRONGPASS)\\b");

    /** How Redis 6.2 words an ACL refusal of a command inside a script, without the NOPERM code. */
    private static final String SCRIPT_NOPERM = "The user executing the script can't run this command";

    private static final String LETTUCE = "org.springframework.data.redis.connection.lettuce.";

    /** Bulk strings of a reply decoded byte by byte, so binary data survives ({@link #listOfBytes}). */
    private static final RedisSerializer<String> BYTES_AS_CHARS =
            new StringRedisSerializer(StandardCharsets.ISO_8859_1);

    private final StringRedisTemplate redis;
    private final String context;
    private final ScriptError.Decoder errors;

    /**
     * @param redis the template (String keys and values)
     * @param context what the calls act on, for messages (for example {@code allocator 'ports'})
     * @param errors the typed exceptions of the errors the concept's scripts raise
     */
    public ScriptRunner(StringRedisTemplate redis, String context, ScriptError.Decoder errors) {
        this.redis = redis;
        this.context = context;
        this.errors = errors;
    }

    /** Runs a script returning a list. Integers arrive as {@link Long}, bulk strings as {@link String}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<Object> list(LuaScript<List> script, List<String> keys, String... args) {
        return (List<Object>) run(script, keys, args);
    }

    /**
     * Runs a script returning a list whose bulk strings may hold binary data (a bitmap): each byte arrives as one
     * {@code char} of a {@link String} (ISO-8859-1, {@code 0..255}), so no byte is lost to UTF-8 decoding. Integers
     * arrive as {@link Long}.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<Object> listOfBytes(LuaScript<List> script, List<String> keys, String... args) {
        RedisSerializer bytes = BYTES_AS_CHARS;
        return (List<Object>) run(script, keys, args, bytes);
    }

    /** Runs a script returning an integer. */
    public long number(LuaScript<Long> script, List<String> keys, String... args) {
        Long result = run(script, keys, args);
        return result == null ? 0 : result;
    }

    /**
     * Runs a script returning a list, like {@link #list}, and when its reply is a grant ({@code granted}) waits until
     * {@code replicas} replicas confirmed the write: Redis {@code WAIT replicas timeout} on the connection that ran the
     * script. That connection is one that may block: with Lettuce, the dedicated connection of a pipeline (never the
     * native connection shared by the application), with Jedis, the pooled connection of this call.
     *
     * @throws ReplicaAckException when fewer replicas confirmed the write in time, or {@code WAIT} failed; it carries the
     *     reply so that the caller can release the grant
     */
    @SuppressWarnings("rawtypes")
    public List<Object> listAcknowledged(
            LuaScript<List> script,
            List<String> keys,
            int replicas,
            Duration timeout,
            Predicate<List<Object>> granted,
            String... args) {
        try (RedisConnection connection = redis.getRequiredConnectionFactory().getConnection()) {
            if (connection instanceof RedisClusterConnection) {
                throw new IdAllocatorException("replicaAcks of " + context + " is not supported with Redis Cluster "
                        + "connections yet: set it to 0, or use a primary with replicas (Sentinel)");
            }
            List<Object> reply = evaluate(connection, script, keys, args);
            if (!granted.test(reply)) {
                return reply;
            }
            long acknowledged;
            try {
                acknowledged = (Long) Objects.requireNonNull(
                        onBlockingConnection(connection, c -> waitForReplicas(c, replicas, timeout)),
                        "Redis WAIT returned no reply");
            } catch (RuntimeException e) {
                throw new ReplicaAckException(
                        "Redis WAIT failed after a grant of " + context + " ("
                                + translate(e, script).getMessage() + "); the grant was not used",
                        replicas,
                        0,
                        reply,
                        e);
            }
            if (acknowledged < replicas) {
                throw new ReplicaAckException(
                        "Only " + acknowledged + " of the " + replicas + " replicas asked for confirmed a grant of "
                                + context + " within " + timeout.toMillis() + " ms (Redis WAIT); a failover now could "
                                + "lose it, so it was not used. Retry later; if it lasts, check the replicas (INFO "
                                + "replication) or lower replicaAcks",
                        replicas,
                        (int) acknowledged,
                        reply,
                        null);
            }
            return reply;
        } catch (RuntimeException e) {
            throw translate(e, script);
        }
    }

    private <T> T run(LuaScript<T> script, List<String> keys, String... args) {
        return run(script, keys, args, null);
    }

    private <T> T run(
            LuaScript<T> script, List<String> keys, String[] args, @Nullable RedisSerializer<T> resultSerializer) {
        T result;
        try {
            result = resultSerializer == null
                    ? redis.execute(script.redisScript(), keys, (Object[]) args)
                    : redis.execute(
                            script.redisScript(), redis.getStringSerializer(), resultSerializer, keys, (Object[]) args);
        } catch (RuntimeException e) {
            throw translate(e, script);
        }
        if (result == null) {
            throw new IdAllocatorException("Redis returned no reply to a script for " + context
                    + "; a script reply was expected (is the connection in a transaction or pipeline?)");
        }
        return result;
    }

    private static List<Object> evaluate(
            RedisConnection connection,
            @SuppressWarnings("rawtypes") LuaScript<List> composed,
            List<String> keys,
            String... args) {
        var script = composed.redisScript();
        byte[][] keysAndArgs = new byte[keys.size() + args.length][];
        int i = 0;
        for (String key : keys) {
            keysAndArgs[i++] = key.getBytes(StandardCharsets.UTF_8);
        }
        for (String arg : args) {
            keysAndArgs[i++] = arg.getBytes(StandardCharsets.UTF_8);
        }
        Object reply;
        try {
            reply = onBlockingConnection(connection, c -> c.scriptingCommands()
                    .evalSha(script.getSha1(), ReturnType.MULTI, keys.size(), keysAndArgs));
        } catch (RuntimeException e) {
            if (!messages(e).contains("NOSCRIPT")) {
                throw e;
            }
            byte[] text = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
            reply = onBlockingConnection(
                    connection, c -> c.scriptingCommands().eval(text, ReturnType.MULTI, keys.size(), keysAndArgs));
        }
        if (!(reply instanceof List<?> list)) {
            throw new IllegalStateException("A script reply was expected, got " + reply);
        }
        List<Object> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            strings.add(element instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : element);
        }
        return strings;
    }

    /**
     * Runs one command on a connection where it may block. A Jedis connection is never shared, so the command runs
     * directly. A Lettuce connection sends commands over the native connection it shares with the whole application
     * unless it is pipelining: the command then goes over a dedicated connection of its own, which it keeps until it is
     * closed, so commands run this way one after the other share that connection. The reply is {@code null} when the
     * client returns none.
     */
    private static @Nullable Object onBlockingConnection(
            RedisConnection connection, Function<RedisConnection, @Nullable Object> command) {
        if (!connection.getClass().getName().startsWith(LETTUCE)) {
            return command.apply(connection);
        }
        connection.openPipeline();
        try {
            command.apply(connection);
        } catch (RuntimeException e) {
            try {
                connection.closePipeline();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return connection.closePipeline().get(0);
    }

    /** The reply to WAIT; {@code null} on a pipelining connection, where it comes from closing the pipeline. */
    private static @Nullable Object waitForReplicas(RedisConnection connection, int replicas, Duration timeout) {
        byte[] count = Integer.toString(replicas).getBytes(StandardCharsets.US_ASCII);
        byte[] millis = Long.toString(timeout.toMillis()).getBytes(StandardCharsets.US_ASCII);
        if (connection.getClass().getName().startsWith(LETTUCE)) {
            // Lettuce needs to be told that WAIT answers an integer; the class is only loaded when Lettuce is used.
            return LettuceCommands.waitForReplicas(connection, count, millis);
        }
        return connection.execute("WAIT", count, millis);
    }

    /** Turns a client exception of a call of {@code script} into the matching idallocator exception. */
    private IdAllocatorException translate(RuntimeException e, LuaScript<?> script) {
        if (e instanceof IdAllocatorException known) {
            return known;
        }
        Optional<ScriptError> raised = ScriptError.in(e);
        if (raised.isPresent()) {
            return raised.get().toException(context, errors);
        }
        String text = messages(e);
        if (text.contains("WRONGTYPE")) {
            return new KeyConflictException("A key of " + context + " holds data of another type that idallocator "
                    + "did not write; it was left untouched. Redis said: " + redisError(e));
        }
        Matcher refusal = REFUSAL.matcher(text);
        if (refusal.find()) {
            return refusal(refusal.group(1), e);
        }
        if (text.contains(SCRIPT_NOPERM)) {
            return refusal("NOPERM", e);
        }
        if (UnavailableRedis.isUnavailable(e)) {
            String target = RedisTargets.describe(redis.getConnectionFactory());
            return new RedisUnavailableException(
                    "Redis" + (target == null ? "" : " at " + target) + " is unavailable for " + context + ": "
                            + redisError(e)
                            + ". Check spring.data.redis.* (host, port, credentials) and that Redis is running.",
                    e);
        }
        String at = script.origin(text)
                .map(line -> " (in " + script.name() + ", at " + line + ")")
                .orElse("");
        return new IdAllocatorException(
                "Redis rejected an operation of " + context + " with an error idallocator does not know: "
                        + redisError(e) + at + ". Please report it with the Redis version.",
                e);
    }

    private IdAllocatorException refusal(String code, RuntimeException e) {
        String said = " (Redis said: " + redisError(e) + ")";
        String refused = "Redis refused an operation of " + context + " with " + code + ": ";
        return switch (code) {
            case "NOREPLICAS" -> new RedisRefusedException(
                    refused + "fewer replicas are connected and in sync than "
                            + "its min-replicas-to-write asks for (a replica is down or lagging, or a failover is in progress). "
                            + "Retry later; if it lasts, check the replicas (INFO replication) or min-replicas-to-write"
                            + said,
                    code,
                    e);
            case "READONLY" -> new RedisRefusedException(
                    refused + "connected to a replica: a failover is in progress "
                            + "or spring.data.redis points at a replica. Retry later; if it lasts, point spring.data.redis at "
                            + "the primary (or use Sentinel, spring.data.redis.sentinel.*)" + said,
                    code,
                    e);
            case "MASTERDOWN" -> new RedisRefusedException(
                    refused + "connected to a replica that lost its link to "
                            + "the primary and does not serve stale data (replica-serve-stale-data no): a failover is in "
                            + "progress or spring.data.redis points at a replica. Retry later; if it lasts, point "
                            + "spring.data.redis at the primary (or use Sentinel)" + said,
                    code,
                    e);
            case "LOADING" -> new RedisRefusedException(
                    refused + "Redis is loading its data set into memory (after a "
                            + "restart, or a replica resynchronising). Retry in a moment" + said,
                    code,
                    e);
            case "BUSY" -> new RedisRefusedException(
                    refused + "Redis is running a long script or function and "
                            + "answers nothing else meanwhile. Retry later; if it lasts, find that script (SCRIPT KILL, "
                            + "FUNCTION KILL, busy-reply-threshold / lua-time-limit)" + said,
                    code,
                    e);
            case "TRYAGAIN" -> new RedisRefusedException(
                    refused + "the allocator's hash slot is being migrated "
                            + "between cluster nodes. Retry in a moment" + said,
                    code,
                    e);
            case "CLUSTERDOWN" -> new RedisRefusedException(
                    refused + "the Redis Cluster is down or does not serve "
                            + "this hash slot (a failover in progress, or slots not assigned). Retry later; if it lasts, "
                            + "check CLUSTER INFO" + said,
                    code,
                    e);
            case "OOM" -> new RedisSetupException(
                    refused + "Redis reached its maxmemory and may not evict anything "
                            + "for this write. Raise maxmemory or free memory; keep maxmemory-policy noeviction (an evicting "
                            + "policy would silently drop leases)" + said,
                    code,
                    e);
            case "MOVED", "ASK" -> new RedisSetupException(
                    refused + "Redis is a cluster but the client is not in "
                            + "cluster mode: configure spring.data.redis.cluster.nodes instead of spring.data.redis.host/port"
                            + said,
                    code,
                    e);
            case "NOPERM" -> new RedisSetupException(
                    refused + "the Redis user lacks a permission idallocator needs; "
                            + "grant the commands and keys listed in docs/operations.md (ACL)" + said,
                    code,
                    e);
            default -> new RedisSetupException(
                    refused + "Redis did not accept the credentials; check "
                            + "spring.data.redis.username and spring.data.redis.password" + said,
                    code,
                    e);
        };
    }

    /** The innermost message of the cause chain: Redis' own error text, not a client wrapper's "Error in execution". */
    private static String redisError(Throwable e) {
        String innermost = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t.getMessage();
            }
        }
        return innermost == null ? e.getClass().getName() : innermost.strip().replaceAll("\\.+$", "");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null) {
                all.append(t.getMessage()).append('\n');
            }
        }
        return all.toString();
    }
}
