package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The range scripts' contract where Java and Lua must agree: the layout version and the errors the scripts raise. */
@WithRedisServer
class RangeScriptsTest {

    private RedisServerProcess server;
    private RedisClient.Factory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        this.factory = RedisClient.LETTUCE.connect(server);
        this.name = "contract-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.close();
    }

    private RedisIdAllocator allocator(long min, long max) {
        return RedisIdAllocator.createOrAttach(
                factory.connectionFactory(),
                IdAllocatorConfig.builder(name, min, max)
                        .reuseDelay(Duration.ZERO)
                        .build(),
                "instance-a");
    }

    @Test
    void theLayoutLuaWritesIsTheLayoutJavaNames() throws IOException {
        String libCore;
        try (InputStream in = getClass().getResourceAsStream("/io/github/idallocator/range/lib_core.lua")) {
            libCore = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher layout = Pattern.compile("(?m)^local LAYOUT = '([^']*)'$").matcher(libCore);

        assertThat(layout.find()).as("lib_core.lua defines LAYOUT").isTrue();
        assertThat(layout.group(1)).isEqualTo(RangeScripts.LAYOUT);
    }

    @Test
    void anAllocatorStoredWithAnotherLayoutIsAMismatchNamingBothLayouts() {
        allocator(0, 9);
        server.command("HSET", "idalloc:{" + name + "}:meta", "layout", "v1");

        assertThatThrownBy(() -> allocator(0, 9))
                .isInstanceOf(ConfigurationMismatchException.class)
                .hasMessageContaining("stored in Redis with ids [0, 9] (layout v1)")
                .hasMessageContaining("configured with [0, 9] (layout " + RangeScripts.LAYOUT + ")")
                .hasMessageContaining("idalloc:{" + name + "}:*");
    }

    @Test
    void countersThatDisagreeWithTheBitmapAreReportedAsAnInconsistentState() {
        RedisIdAllocator ids = allocator(0, 9);
        ids.allocate(10);
        server.command("HSET", "idalloc:{" + name + "}:meta", "extra", "-5");

        assertThatThrownBy(() -> ids.allocate(2))
                .isExactlyInstanceOf(IdAllocatorException.class)
                .hasMessageContaining("allocator '" + name + "' in Redis is inconsistent")
                .hasMessageContaining("its counters say 5 ids are free but its bitmap has none");
    }
}
