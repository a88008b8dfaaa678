package io.github.idallocator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every test that {@code docs/guarantees.md}, {@code docs/locks.md}, {@code docs/pools.md} and {@code docs/tasks.md} name as the proof of a promise exists, with the
 * named method.
 */
@Tag("no-redis")
class GuaranteesDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern TEST_REFERENCE =
            Pattern.compile("`((?:fault\\.)?[A-Z][A-Za-z0-9]*Test[s]?)(?:\\.([a-z][A-Za-z0-9]*))?`");

    @Test
    void everyTestTheGuaranteesNameExists() throws IOException {
        assertThat(missingTests("docs/guarantees.md", 20))
                .as("tests named in docs/guarantees.md that do not exist")
                .isEmpty();
    }

    @Test
    void everyTestTheLockGuaranteesNameExists() throws IOException {
        assertThat(missingTests("docs/locks.md", 20))
                .as("tests named in docs/locks.md that do not exist")
                .isEmpty();
    }

    @Test
    void everyTestThePoolGuaranteesNameExists() throws IOException {
        assertThat(missingTests("docs/pools.md", 20))
                .as("tests named in docs/pools.md that do not exist")
                .isEmpty();
    }

    @Test
    void everyTestTheTaskQueueDocNamesExists() throws IOException {
        assertThat(missingTests("docs/tasks.md", 5))
                .as("tests named in docs/tasks.md that do not exist")
                .isEmpty();
    }

    /** The test references of {@code file} whose class or method does not exist; it must hold more than {@code least}. */
    private static List<String> missingTests(String file, int least) throws IOException {
        String doc = Files.readString(ROOT.resolve(file));
        Map<String, String> sources = testSources();
        List<String> missing = new ArrayList<>();
        int references = 0;
        Matcher m = TEST_REFERENCE.matcher(doc);
        while (m.find()) {
            references++;
            String type = m.group(1).replace("fault.", "");
            String source = sources.get(type);
            if (source == null) {
                missing.add(m.group(0) + " (no test class " + type + ")");
            } else if (m.group(2) != null && !source.contains("void " + m.group(2) + "(")) {
                missing.add(m.group(0) + " (no method " + m.group(2) + " in " + type + ")");
            }
        }

        assertThat(references).as("test references in " + file).isGreaterThan(least);
        return missing;
    }

    /** Simple class name to source text, of every test source file in the repository (the test kit's included). */
    private static Map<String, String> testSources() throws IOException {
        Map<String, String> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> (p.toString().contains("/src/test/java/")
                                    || p.toString().contains("/allocator-tck/src/main/java/"))
                            && p.toString().endsWith(".java"))
                    .forEach(p -> {
                        String name = p.getFileName().toString().replace(".java", "");
                        try {
                            sources.put(name, Files.readString(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        return sources;
    }
}
