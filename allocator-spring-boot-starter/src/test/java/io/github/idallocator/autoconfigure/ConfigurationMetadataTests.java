package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata the build writes into the starter ({@code META-INF/spring-configuration-metadata.json},
 * the annotation processor's output merged with {@code additional-spring-configuration-metadata.json}), which IDEs
 * read to complete and explain properties, covers what the processor cannot see: each setting of an allocator,
 * sequence, pool and task queue (map values, listed as {@code idallocator.allocators.*.min-id}, the settings of a nested
 * record as {@code idallocator.tasks.*.backoff.initial}) and the health indicators' {@code
 * management.health.<name>.enabled} switches. The settings are found by reflection on {@link IdAllocatorProperties},
 * so a new one without metadata fails here.
 */
class ConfigurationMetadataTests {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** Where the merged file is stale when only the additional file changed: the processor ran on no new source. */
    private static final String REBUILD =
            " (after editing only additional-spring-configuration-metadata.json, build the starter with clean: the"
                    + " annotation processor merges it only when it compiles)";

    private static final JsonNode ROOT = read();

    @Test
    void everySettingOfAnAllocatorSequenceAndPoolHasADescription() {
        Map<String, JsonNode> properties = properties();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Class<?>> setting : perEntrySettings().entrySet()) {
            JsonNode property = properties.get(setting.getKey());
            if (property == null || property.path("description").asString("").isBlank()) {
                missing.add(setting.getKey());
            }
        }

        assertThat(perEntrySettings())
                .containsKeys(
                        "idallocator.allocators.*.min-id",
                        "idallocator.pools.*.resources",
                        "idallocator.tasks.*.backoff.initial");
        assertThat(missing)
                .as("settings without metadata or description" + REBUILD)
                .isEmpty();
    }

    @Test
    void theSettingsOfAPoolResourceAreDescribedWithTheResourcesList() {
        String description = properties()
                .get("idallocator.pools.*.resources")
                .path("description")
                .asString();

        for (RecordComponent component : IdAllocatorProperties.Resource.class.getRecordComponents()) {
            assertThat(description).as("resources description" + REBUILD).contains(dashed(component.getName()));
        }
    }

    @Test
    void everySettingHasTheTypeAndDefaultItIsBoundWith() {
        Map<String, JsonNode> properties = properties();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Class<?>> setting : perEntrySettings().entrySet()) {
            JsonNode property = properties.get(setting.getKey());
            if (property == null) {
                continue;
            }
            RecordComponent component = component(setting.getValue(), setting.getKey());
            String expectedDefault = defaultValue(setting.getValue(), component);
            JsonNode written = property.get("defaultValue");
            String writtenDefault = written == null ? null : written.asString();
            if (expectedDefault == null ? writtenDefault != null : !expectedDefault.equals(writtenDefault)) {
                wrong.add(setting.getKey() + ": default " + writtenDefault + ", bound with " + expectedDefault);
            }
            String type = property.path("type").asString();
            if (!type.equals(metadataType(component.getGenericType()))) {
                wrong.add(setting.getKey() + ": type " + type + ", bound as " + component.getGenericType());
            }
        }

        assertThat(wrong)
                .as("metadata that differs from IdAllocatorProperties" + REBUILD)
                .isEmpty();
    }

    @Test
    void noMetadataNamesASettingThatDoesNotExist() {
        Set<String> settings = perEntrySettings().keySet();
        List<String> stale = new ArrayList<>();
        for (String name : properties().keySet()) {
            if (name.startsWith("idallocator.") && name.contains(".*.") && !settings.contains(name)) {
                stale.add(name);
            }
        }

        assertThat(stale).isEmpty();
    }

    @Test
    void everyHealthIndicatorSwitchIsDescribedAsABooleanThatDefaultsToTrue() throws Exception {
        Set<String> indicators = new TreeSet<>(Set.of("idallocator", "snowflake", "locks", "pools", "tasks"));
        indicators.addAll(healthIndicatorNames());
        Map<String, JsonNode> properties = properties();

        for (String indicator : indicators) {
            String name = "management.health." + indicator + ".enabled";
            assertThat(properties).as(name + REBUILD).containsKey(name);
            JsonNode property = properties.get(name);
            assertThat(property.path("type").asString()).as(name).isEqualTo("java.lang.Boolean");
            assertThat(property.path("defaultValue").asString()).as(name).isEqualTo("true");
            assertThat(property.path("description").asString("")).as(name).isNotBlank();
        }
    }

    @Test
    void theSnowflakeBackendOffersTheBackendsTheStarterKnows() {
        assertThat(hints().get("idallocator.snowflake.backend"))
                .as("hints" + REBUILD)
                .containsExactly(
                        IdAllocatorProperties.Snowflake.REDIS_BACKEND, IdAllocatorProperties.Snowflake.ETCD_BACKEND);
    }

    @Test
    void theHealthStatusPropertiesOfferTheStandardStatuses() {
        Map<String, List<String>> hints = hints();

        assertThat(hints.get("idallocator.health.high-utilisation-status"))
                .as("hints" + REBUILD)
                .containsExactly("UP", "OUT_OF_SERVICE", "DOWN");
        assertThat(hints.get("idallocator.health.pool-unusable-status")).containsExactly("OUT_OF_SERVICE", "DOWN");
        assertThat(properties()).containsKeys(hints.keySet().toArray(String[]::new));
    }

    /**
     * Every setting of a map entry under {@code idallocator}, named as in the metadata ({@code
     * idallocator.allocators.*.min-id}), with the record that binds it.
     */
    private static Map<String, Class<?>> perEntrySettings() {
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        for (RecordComponent map : IdAllocatorProperties.class.getRecordComponents()) {
            if (!Map.class.isAssignableFrom(map.getType())) {
                continue;
            }
            Class<?> entry = (Class<?>) ((ParameterizedType) map.getGenericType()).getActualTypeArguments()[1];
            addSettings(IdAllocatorProperties.PREFIX + "." + dashed(map.getName()) + ".*.", entry, settings);
        }
        return settings;
    }

    /** The settings of {@code record} under {@code prefix}; those of a nested record as its own settings. */
    private static void addSettings(String prefix, Class<?> record, Map<String, Class<?>> settings) {
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + dashed(component.getName());
            if (component.getType().isRecord()) {
                addSettings(name + ".", component.getType(), settings);
            } else {
                settings.put(name, record);
            }
        }
    }

    private static RecordComponent component(Class<?> record, String name) {
        String dashed = name.substring(name.lastIndexOf('.') + 1);
        for (RecordComponent component : record.getRecordComponents()) {
            if (dashed(component.getName()).equals(dashed)) {
                return component;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** The {@link DefaultValue} binding applies, as text; none for an empty one (an empty map or list). */
    private static @Nullable String defaultValue(Class<?> record, RecordComponent component) {
        Constructor<?> canonical;
        try {
            canonical = record.getDeclaredConstructor(List.of(record.getRecordComponents()).stream()
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
        List<String> names = List.of(record.getRecordComponents()).stream()
                .map(RecordComponent::getName)
                .toList();
        int index = names.indexOf(component.getName());
        DefaultValue value = canonical.getParameters()[index].getAnnotation(DefaultValue.class);
        return value == null || value.value().length == 0 ? null : value.value()[0];
    }

    /** The type the configuration processor would write: boxed primitives, generics with binary nested names. */
    private static String metadataType(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            List<String> arguments = new ArrayList<>();
            for (Type argument : parameterized.getActualTypeArguments()) {
                arguments.add(metadataType(argument));
            }
            return metadataType(parameterized.getRawType()) + "<" + String.join(",", arguments) + ">";
        }
        Class<?> raw = (Class<?>) type;
        Map<Class<?>, Class<?>> boxes = Map.of(
                long.class,
                Long.class,
                int.class,
                Integer.class,
                double.class,
                Double.class,
                boolean.class,
                Boolean.class);
        return boxes.getOrDefault(raw, raw).getName();
    }

    /** The names of the health indicators the auto-configurations switch with {@code management.health.*.enabled}. */
    private static Set<String> healthIndicatorNames() throws IOException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        ClassLoader loader = ConfigurationMetadataTests.class.getClassLoader();
        String imports = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";
        try (InputStream in = ownResource(imports).openStream()) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    collectHealthIndicatorNames(Class.forName(line.strip(), false, loader), names);
                }
            }
        }
        assertThat(names).as("no @ConditionalOnEnabledHealthIndicator found").isNotEmpty();
        return names;
    }

    private static void collectHealthIndicatorNames(Class<?> type, Set<String> names) {
        List<AnnotatedElement> elements = new ArrayList<>(List.of(type));
        elements.addAll(List.of(type.getDeclaredMethods()));
        for (AnnotatedElement element : elements) {
            ConditionalOnEnabledHealthIndicator condition =
                    element.getAnnotation(ConditionalOnEnabledHealthIndicator.class);
            if (condition != null) {
                names.add(condition.value());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            collectHealthIndicatorNames(nested, names);
        }
    }

    private static Map<String, JsonNode> properties() {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode property : ROOT.path("properties").values()) {
            properties.put(property.path("name").asString(), property);
        }
        return properties;
    }

    private static Map<String, List<String>> hints() {
        Map<String, List<String>> hints = new LinkedHashMap<>();
        for (JsonNode hint : ROOT.path("hints").values()) {
            List<String> values = new ArrayList<>();
            hint.path("values")
                    .values()
                    .forEach(value -> values.add(value.path("value").asString()));
            hints.put(hint.path("name").asString(), values);
        }
        return hints;
    }

    /** The starter's own metadata: the file next to {@link IdAllocatorProperties}, in its jar or class directory. */
    private static JsonNode read() {
        try (InputStream in = ownResource(METADATA).openStream()) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static URL ownResource(String path) throws IOException {
        String location = IdAllocatorProperties.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();
        for (URL url : Collections.list(
                ConfigurationMetadataTests.class.getClassLoader().getResources(path))) {
            String found = url.toString();
            if (found.startsWith(location) || found.startsWith("jar:" + location + "!/")) {
                return url;
            }
        }
        throw new IllegalStateException(path + " not found in " + location + REBUILD);
    }

    private static String dashed(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
