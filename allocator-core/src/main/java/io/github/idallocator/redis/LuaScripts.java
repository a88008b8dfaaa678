package io.github.idallocator.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads Lua scripts from the class path. A script may be preceded by a shared prelude file of its concept, so helpers
 * are written once and each operation still runs as one atomic script (sent once with EVALSHA, its SHA1 fixed).
 */
public final class LuaScripts {

    private LuaScripts() {}

    /** Loads {@code <dir>/<prelude>} followed by {@code <dir>/<operation>} as one script returning a list. */
    @SuppressWarnings("rawtypes")
    public static RedisScript<List> load(String dir, String prelude, String operation) {
        String text = read(dir + "/" + prelude) + "\n" + read(dir + "/" + operation);
        return RedisScript.of(text, List.class);
    }

    /** Loads {@code <dir>/<prelude>} followed by {@code <dir>/<operation>} as one script returning an integer. */
    public static RedisScript<Long> loadLong(String dir, String prelude, String operation) {
        String text = read(dir + "/" + prelude) + "\n" + read(dir + "/" + operation);
        return RedisScript.of(text, Long.class);
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
