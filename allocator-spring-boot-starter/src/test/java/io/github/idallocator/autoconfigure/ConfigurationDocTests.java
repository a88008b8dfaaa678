package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every {@code idallocator.*} property in the configuration metadata the annotation processor writes (what IDEs offer)
 * has a row in {@code docs/configuration.md}, under its full name or, in a section headed {@code
 * idallocator.<group>.*}, under its name within the group, and the row's default is the metadata's.
 */
class ConfigurationDocTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    private static final Path DOC = Path.of("..").toAbsolutePath().normalize().resolve("docs/configuration.md");
    private static final Pattern SECTION = Pattern.compile("^### `(idallocator\\.[^`]*)\\*`");
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern DEFAULT_VALUE =
            Pattern.compile("\"defaultValue\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\\s}\\]]+)");

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws IOException {
        Map<String, List<String>> rows = documentedRows();
        List<String> undocumented = new ArrayList<>();
        List<String> wrongDefaults = new ArrayList<>();

        for (Map<String, Object> property : properties()) {
            String name = property.get("name").toString();
            if (!name.startsWith("idallocator.")) {
                continue;
            }
            List<String> row = rowOf(name, rows);
            if (row == null) {
                undocumented.add(name);
                continue;
            }
            Object value = property.get("defaultValue");
            if (value != null && !row.get(1).contains("`" + value + "`")) {
                wrongDefaults.add(name + ": metadata `" + value + "`, documented " + row.get(1));
            }
        }

        assertThat(properties())
                .extracting(p -> p.get("name"))
                .contains("idallocator.locks.lease-time", "idallocator.allocators.*.default-ttl");
        assertThat(undocumented)
                .as("properties missing in docs/configuration.md")
                .isEmpty();
        assertThat(wrongDefaults).as("defaults that differ from the metadata").isEmpty();
    }

    /**
     * The row of {@code name}: its own, or the row of the map entry that holds it ({@code <name>.*}). A setting of a map
     * entry, named with {@code *} in the metadata ({@code idallocator.allocators.*.min-id}), is documented with {@code
     * <name>}.
     */
    private static @Nullable List<String> rowOf(String metadataName, Map<String, List<String>> rows) {
        String name = metadataName.replace(".*.", ".<name>.");
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            String documented = row.getKey();
            if (documented.equals(name) || documented.startsWith(name + ".")) {
                return row.getValue();
            }
        }
        return null;
    }

    /** Every table row of the doc by full property name: name, default, meaning. */
    private static Map<String, List<String>> documentedRows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        @Nullable String section = null;
        for (String line : Files.readAllLines(DOC)) {
            Matcher heading = SECTION.matcher(line);
            if (heading.find()) {
                section = heading.group(1);
            } else if (line.startsWith("#")) {
                section = null;
            } else if (section != null && line.startsWith("| `")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                    cells.add(cell.strip());
                }
                String name = cells.get(0).replace("`", "");
                rows.put(name.startsWith("idallocator.") ? name : section + name, cells);
            }
        }
        return rows;
    }

    /**
     * The properties of the metadata, each with its name and, when it has one, its default value (JSON text without
     * quotes). The file is read with patterns rather than a JSON library, which the test class path lacks: each
     * property's fields follow its {@code "name"}, strings escaped the JSON way.
     */
    private static List<Map<String, Object>> properties() throws IOException {
        String json = Files.readString(METADATA);
        int start = json.indexOf("\"properties\"");
        int end = json.indexOf("\"hints\"", start);
        String section = json.substring(start, end < 0 ? json.length() : end);
        List<Map<String, Object>> properties = new ArrayList<>();
        Matcher name = NAME.matcher(section);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (name.find()) {
            spans.add(new int[] {name.start(), name.end()});
            names.add(name.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            String fields =
                    section.substring(spans.get(i)[1], i + 1 < spans.size() ? spans.get(i + 1)[0] : section.length());
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("name", names.get(i));
            Matcher value = DEFAULT_VALUE.matcher(fields);
            if (value.find()) {
                String text = value.group(1);
                property.put("defaultValue", text.startsWith("\"") ? text.substring(1, text.length() - 1) : text);
            }
            properties.add(property);
        }
        return properties;
    }
}
