package io.github.idallocator.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/** The redis-server executable shipped inside the embedded-redis jar, copied once per JVM to a temporary file. */
final class EmbeddedRedisBinary {

    private static Path extracted;

    private EmbeddedRedisBinary() {}

    /** The jar resource holding the executable for this operating system and architecture, if there is one. */
    static Optional<String> resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = architecture(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
        if (os.contains("linux") && arch.equals("amd64")) {
            return Optional.of("/redis-server-6.2.6-v5-linux-amd64");
        }
        if (os.contains("linux") && arch.equals("arm64")) {
            return Optional.of("/redis-server-6.2.7-linux-arm64");
        }
        if ((os.contains("mac") || os.contains("darwin")) && !arch.isEmpty()) {
            return Optional.of("/redis-server-6.2.6-v5-darwin-" + arch);
        }
        return Optional.empty();
    }

    /** The extracted, executable copy; it is deleted when the JVM exits. */
    static synchronized Path path() {
        if (extracted == null) {
            extracted = extract(resourceName()
                    .orElseThrow(() -> new IllegalStateException("embedded-redis has no redis-server for "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch"))));
        }
        return extracted;
    }

    private static Path extract(String resource) {
        try (InputStream binary = EmbeddedRedisBinary.class.getResourceAsStream(resource)) {
            if (binary == null) {
                throw new IllegalStateException(
                        "Resource " + resource + " is missing: is embedded-redis on the classpath?");
            }
            Path file = Files.createTempFile("redis-server-", "");
            file.toFile().deleteOnExit();
            Files.copy(binary, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true, true)) {
                throw new IllegalStateException("Could not make " + file + " executable");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract " + resource, e);
        }
    }

    private static String architecture(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "";
        };
    }
}
