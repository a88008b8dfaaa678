package io.github.idallocator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation file of every concept (each {@code .lua} file of the main resources not named {@code lib_*})
 * composes with its helpers and is accepted by Redis ({@code SCRIPT LOAD} compiles it): on Redis 7 in the default
 * test execution, on Redis 6.2 in the {@code redis-6.2} one.
 */
@WithRedisServer
class EveryScriptLoadsTest {

    /** The operations as {@code <dir>/<file>}, found in the directory LuaScripts is loaded from (target/classes). */
    static List<String> operations() throws IOException, URISyntaxException {
        Path classes = Path.of(LuaScripts.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".lua"))
                    .filter(f -> !f.getFileName().toString().startsWith("lib_"))
                    .map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("operations")
    void composesAndLoads(String operation, RedisServerProcess server) {
        int slash = operation.lastIndexOf('/');
        LuaScript<Long> script = LuaScripts.loadLong(operation.substring(0, slash), operation.substring(slash + 1));

        Object sha = server.command("SCRIPT", "LOAD", script.redisScript().getScriptAsString());

        assertThat(sha).isEqualTo(script.redisScript().getSha1());
        assertThat(script.files()).last().isEqualTo(operation.substring(slash + 1));
    }

    @Test
    void theOperationsOfEveryConceptAreFound() throws Exception {
        assertThat(operations())
                .contains(
                        "io/github/idallocator/range/allocate.lua",
                        "io/github/idallocator/range/free_many.lua",
                        "io/github/idallocator/sequence/next_segment.lua",
                        "io/github/idallocator/sequence/register.lua")
                .hasSizeGreaterThanOrEqualTo(15);
    }
}
