package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.internal.LuaScript;
import io.github.idallocator.internal.LuaScripts;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the task queue ({@code tasks/*.lua} but {@code lib_tasks.lua}) composes with its helpers, is
 * accepted by Redis ({@code SCRIPT LOAD} compiles it) and is headed by its KEYS, ARGV, reply and complexity.
 */
@WithRedisServer
class EveryTaskScriptLoadsTest {

    private static final String DIR = "io/github/idallocator/tasks";

    static List<String> operations() throws IOException, URISyntaxException {
        Path dir = Path.of(TaskScripts.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(DIR);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> operations = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".lua") && !f.startsWith("lib_"))
                    .sorted()
                    .toList();
            assertThat(operations).hasSizeGreaterThanOrEqualTo(11);
            return operations;
        }
    }

    @ParameterizedTest
    @MethodSource("operations")
    void composesAndLoads(String operation, RedisServerProcess server) {
        LuaScript<Long> script = LuaScripts.loadLong(DIR, operation);

        Object sha = server.command("SCRIPT", "LOAD", script.redisScript().getScriptAsString());

        assertThat(sha).isEqualTo(script.redisScript().getSha1());
        assertThat(script.files()).containsExactly("lib_tasks.lua", operation);
    }

    @ParameterizedTest
    @MethodSource("operations")
    void isHeadedByItsKeysArgumentsReplyAndComplexity(String operation) throws IOException {
        String text;
        try (InputStream in = TaskScripts.class.getClassLoader().getResourceAsStream(DIR + "/" + operation)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(text).contains("\n-- KEYS", "\n-- ARGV", "\n-- Returns", "\n-- Complexity");
    }
}
