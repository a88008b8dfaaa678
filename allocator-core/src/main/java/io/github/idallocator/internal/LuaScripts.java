package io.github.idallocator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Composes Lua scripts from the class path. A file names the helper files of its directory it uses on a header line
 * {@code -- needs: a.lua b.lua} (the header is the comment lines it starts with); a helper may need others in turn.
 * The script is every file needed, each once, helpers before the files that need them, then the operation itself, each
 * after a marker line {@code -- file: <name>}. So helpers are written once, each script defines only the helpers it
 * needs, each operation still runs as one atomic script (sent with EVALSHA, its SHA1 fixed), and a Lua error names the
 * file it happened in ({@link LuaScript#origin(String)}).
 *
 * <p>An unknown file, a {@code needs} line that is not {@code -- needs: } followed by file names, a {@code needs} line
 * below the header, or helpers that need each other in a cycle fail the load with an {@link IllegalStateException}
 * naming the file.
 */
public final class LuaScripts {

    /** A line that means to name helpers, well formed or not. */
    private static final Pattern NEEDS_LIKE = Pattern.compile("--\\s*needs\\b.*");

    /** A well formed {@code needs} line; the group holds the file names. */
    private static final Pattern NEEDS = Pattern.compile("-- needs:((?:\\s+[A-Za-z0-9_]+\\.lua)+)\\s*");

    private static final String MARKER = "-- file: ";

    private LuaScripts() {}

    /** Composes {@code <dir>/<operation>} as one script returning a list. */
    @SuppressWarnings("rawtypes")
    public static LuaScript<List> load(String dir, String operation) {
        return compose(dir, operation, List.class);
    }

    /** Composes {@code <dir>/<operation>} as one script returning an integer. */
    public static LuaScript<Long> loadLong(String dir, String operation) {
        return compose(dir, operation, Long.class);
    }

    private static <T> LuaScript<T> compose(String dir, String operation, Class<T> resultType) {
        Map<String, String> files = new LinkedHashMap<>();
        include(dir, operation, null, files, new ArrayList<>());
        StringBuilder text = new StringBuilder();
        List<LuaScript.Part> parts = new ArrayList<>();
        int line = 1;
        for (Map.Entry<String, String> file : files.entrySet()) {
            String body = file.getValue().endsWith("\n") ? file.getValue() : file.getValue() + "\n";
            int lines = (int) body.chars().filter(c -> c == '\n').count();
            text.append(MARKER).append(file.getKey()).append('\n').append(body);
            parts.add(new LuaScript.Part(file.getKey(), line + 1, lines));
            line += 1 + lines;
        }
        String name = dir.substring(dir.lastIndexOf('/') + 1) + "/" + operation;
        return new LuaScript<>(name, RedisScript.of(text.toString(), resultType), parts);
    }

    /** Adds {@code file} to {@code files} after every file it needs (depth first); {@code open} detects cycles. */
    private static void include(
            String dir, String file, @Nullable String neededBy, Map<String, String> files, List<String> open) {
        if (files.containsKey(file)) {
            return;
        }
        if (open.contains(file)) {
            List<String> cycle = new ArrayList<>(open.subList(open.indexOf(file), open.size()));
            cycle.add(file);
            throw new IllegalStateException(
                    "Lua files of " + dir + " need each other in a cycle: " + String.join(" -> ", cycle));
        }
        open.add(file);
        String text = read(dir, file, neededBy);
        for (String helper : needs(dir + "/" + file, text)) {
            include(dir, helper, file, files, open);
        }
        open.remove(open.size() - 1);
        files.put(file, text);
    }

    /** The files named on the {@code -- needs:} lines of a file's header. */
    private static List<String> needs(String path, String text) {
        List<String> needed = new ArrayList<>();
        boolean header = true;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String stripped = line.strip();
            header &= line.startsWith("--");
            if (!NEEDS_LIKE.matcher(stripped).matches()) {
                continue;
            }
            Matcher needs = NEEDS.matcher(stripped);
            if (!header || !needs.matches()) {
                throw new IllegalStateException("Cannot read line " + number + " of Lua script " + path + " ('"
                        + stripped + "'): name the helpers it needs in its header comment, before its first line of "
                        + "code, as '-- needs: a.lua b.lua' (files of the same directory)");
            }
            needed.addAll(List.of(needs.group(1).strip().split("\\s+")));
        }
        return needed;
    }

    private static String read(String dir, String file, @Nullable String neededBy) {
        String path = dir + "/" + file;
        try (InputStream in = LuaScripts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Lua script " + path + (neededBy == null ? "" : ", which " + neededBy + " needs,")
                                + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Lua script " + path, e);
        }
    }
}
