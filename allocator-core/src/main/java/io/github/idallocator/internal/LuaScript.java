package io.github.idallocator.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * One operation composed by {@link LuaScripts}: the script sent to Redis (its helpers, then the operation) and which file
 * each of its lines came from, so that a Lua error can name the file it happened in.
 *
 * @param <T> the Java type of the script's reply
 */
public final class LuaScript<T> {

    /** How Redis 6.2 and 7 name a line of a script in an error: {@code user_script:12}. */
    private static final Pattern SCRIPT_LINE = Pattern.compile("user_script:(\\d+)");

    private final String name;
    private final RedisScript<T> script;
    private final List<Part> parts;

    LuaScript(String name, RedisScript<T> script, List<Part> parts) {
        this.name = name;
        this.script = script;
        this.parts = List.copyOf(parts);
    }

    /** The operation's file, for example {@code range/allocate.lua}. */
    public String name() {
        return name;
    }

    /** The script to run (EVALSHA of its SHA1, EVAL of its text). */
    public RedisScript<T> redisScript() {
        return script;
    }

    /** The files the script is made of, in the order they appear in it (helpers first, the operation last). */
    public List<String> files() {
        return parts.stream().map(Part::file).toList();
    }

    /**
     * Where the line named in a Redis error ({@code user_script:<line>}) comes from, for example {@code lib_core.lua
     * line 52}; empty when the error names no line of this script.
     */
    public Optional<String> origin(String redisError) {
        Matcher line = SCRIPT_LINE.matcher(redisError);
        if (!line.find()) {
            return Optional.empty();
        }
        int scriptLine = Integer.parseInt(line.group(1));
        for (Part part : parts) {
            if (scriptLine >= part.firstLine() && scriptLine < part.firstLine() + part.lines()) {
                return Optional.of(part.file() + " line " + (scriptLine - part.firstLine() + 1));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + " " + files() + "]";
    }

    /** One file of the script: its lines are {@code firstLine} to {@code firstLine + lines - 1} of the script. */
    record Part(String file, int firstLine, int lines) {}
}
