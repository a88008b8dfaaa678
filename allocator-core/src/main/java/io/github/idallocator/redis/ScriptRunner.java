package io.github.idallocator.redis;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import java.util.List;
import java.util.Locale;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs Lua scripts through a {@link StringRedisTemplate} (EVALSHA, falling back to EVAL once per server when the
 * script cache is empty) and turns client failures into idallocator's typed exceptions.
 */
public final class ScriptRunner {

    private static final String WRONGTYPE = "IDALLOC_WRONGTYPE ";
    private static final String MISMATCH = "IDALLOC_MISMATCH ";

    private final StringRedisTemplate redis;
    private final String context;

    /**
     * @param redis the template (String keys and values)
     * @param context what the calls act on, for messages (for example {@code allocator 'ports'})
     */
    public ScriptRunner(StringRedisTemplate redis, String context) {
        this.redis = redis;
        this.context = context;
    }

    /** Runs a script returning a list. Integers arrive as {@link Long}, bulk strings as {@link String}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<Object> list(RedisScript<List> script, List<String> keys, String... args) {
        return (List<Object>) run(script, keys, args);
    }

    /** Runs a script returning an integer. */
    public long number(RedisScript<Long> script, List<String> keys, String... args) {
        Long result = run(script, keys, args);
        return result == null ? 0 : result;
    }

    private <T> T run(RedisScript<T> script, List<String> keys, String... args) {
        T result;
        try {
            result = redis.execute(script, keys, (Object[]) args);
        } catch (RuntimeException e) {
            throw translate(e);
        }
        if (result == null) {
            throw new IdAllocatorException("Redis returned no reply to a script for " + context
                    + "; a script reply was expected (is the connection in a transaction or pipeline?)");
        }
        return result;
    }

    /** Turns a client exception into the matching idallocator exception. */
    public IdAllocatorException translate(RuntimeException e) {
        if (e instanceof IdAllocatorException known) {
            return known;
        }
        String text = messages(e);
        int tag = text.indexOf(WRONGTYPE);
        if (tag >= 0) {
            String[] words = text.substring(tag + WRONGTYPE.length()).split("\\s+");
            return new KeyConflictException("Key " + words[0] + " of " + context + " holds a " + words[1] + ", not a "
                    + words[2] + ": it is data idallocator did not write and it was left untouched. Delete it or "
                    + "choose another key prefix or allocator name.");
        }
        if (text.contains("WRONGTYPE")) {
            return new KeyConflictException("A key of " + context + " holds data of another type that idallocator "
                    + "did not write; it was left untouched. Redis said: " + e.getMessage());
        }
        tag = text.indexOf(MISMATCH);
        if (tag >= 0) {
            return new ConfigurationMismatchException(
                    text.substring(tag + MISMATCH.length()).split("[\\r\\n]")[0]);
        }
        if (isUnavailable(e)) {
            return new RedisUnavailableException(
                    "Redis is unavailable for " + context + ": " + e.getMessage()
                            + ". Check spring.data.redis.* (host, port, credentials) and that Redis is running.",
                    e);
        }
        return new IdAllocatorException("Redis rejected an operation of " + context + ": " + e.getMessage(), e);
    }

    private static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof java.io.IOException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            String name = t.getClass().getSimpleName();
            if (name.contains("Connection") || name.contains("Timeout") || name.contains("Closed")) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("not connected")
                    || message.contains("connection refused")
                    || message.contains("connection closed")
                    || message.contains("unable to connect")
                    || message.contains("connection reset")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
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
