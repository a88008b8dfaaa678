package io.github.idallocator.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class RedisBinaryTest {

    @TempDir
    Path directory;

    @Test
    void systemPropertyWinsOverEnvironmentVariable() throws IOException {
        Path fromProperty = fakeRedisServer(directory.resolve("from-property"), "7.2.4");
        Path fromEnvironment = fakeRedisServer(directory.resolve("from-environment"), "7.2.5");

        RedisBinary binary = RedisBinary.resolve(fromProperty.toString(), fromEnvironment.toString(), "");

        assertThat(binary.path()).isEqualTo(fromProperty);
    }

    @Test
    void blankSettingsFallBackToPath() throws IOException {
        Path onPath = fakeRedisServer(directory.resolve("redis-server"), "7.2.4");

        RedisBinary binary = RedisBinary.resolve(" ", "", directory.toString());

        assertThat(binary.describe()).isEqualTo("redis-server 7.2.4 from PATH (" + onPath + ")");
    }

    @Test
    void settingThatIsNoExecutableFails() {
        assertThatThrownBy(
                        () -> RedisBinary.resolve(directory.resolve("missing").toString(), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RedisBinary.SYSTEM_PROPERTY);
    }

    @Test
    void embeddedBinaryCanBeForcedAndRunsRedis62() {
        assumeTrue(RedisBinary.embeddedAvailable(), "embedded-redis has no binary for this OS and architecture");

        RedisBinary binary = RedisBinary.resolve(RedisBinary.EMBEDDED, null, directory.toString());

        assertThat(binary.version()).startsWith("6.2.");
        assertThat(binary.describe()).contains("embedded-redis jar");
        try (RedisServerProcess redis =
                RedisServerProcess.builder().binary(binary).start()) {
            assertThat((String) redis.command("INFO", "server")).contains("redis_version:6.2.");
        }
    }

    private static Path fakeRedisServer(Path file, String version) throws IOException {
        Files.writeString(file, "#!/bin/sh\necho 'Redis server v=" + version + " sha=00000000:0 bits=64'\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }
}
