package io.github.idallocator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads Lua scripts from the class path. An operation's file may name, on a header line {@code -- needs: a.lua b.lua},
 * the helper files of its directory it uses; they are prepended in that order, so helpers are written once, each
 * script defines only the helpers it needs, and each operation still runs as one atomic script (sent with EVALSHA,
 * its SHA1 fixed).
 */
public final class LuaScripts {

    private static final String NEEDS = "-- needs:";

    private LuaScripts() {}

    /** Loads {@code <dir>/<operation>}, preceded by the helpers it needs, as one script returning a list. */
    @SuppressWarnings("rawtypes")
    public static RedisScript<List> load(String dir, String operation) {
        return RedisScript.of(text(dir, operation), List.class);
    }

    /** Loads {@code <dir>/<operation>}, preceded by the helpers it needs, as one script returning an integer. */
    public static RedisScript<Long> loadLong(String dir, String operation) {
        return RedisScript.of(text(dir, operation), Long.class);
    }

    /** The full text of an operation: the helpers named on its {@code -- needs:} line, then the operation itself. */
    private static String text(String dir, String operation) {
        String body = read(dir + "/" + operation);
        StringBuilder text = new StringBuilder();
        for (String line : body.split("\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            if (line.startsWith(NEEDS)) {
                for (String helper : line.substring(NEEDS.length()).trim().split("\\s+")) {
                    text.append(read(dir + "/" + helper)).append('\n');
                }
            }
        }
        return text.append(body).toString();
    }

    private static String read(String path) {
        try (InputStream in = LuaScripts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Lua script " + path, e);
        }
    }
}
