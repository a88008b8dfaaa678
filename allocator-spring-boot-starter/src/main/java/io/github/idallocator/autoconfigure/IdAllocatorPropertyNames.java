package io.github.idallocator.autoconfigure;

import static io.github.idallocator.autoconfigure.IdAllocatorProperties.PREFIX;

import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyNameException.WrongName;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Binds {@code idallocator.*} so that every name written there is one idallocator reads, as written:
 *
 * <ul>
 *   <li>the names of allocators, sequences, pools and task queues as written must be the map keys binding makes of them: Spring
 *       splits an unbracketed key at its dots ({@code order.ids} becomes an entry {@code order} with a setting {@code
 *       ids.max-id}, so no allocator) and drops characters other than letters, digits, {@code -} and {@code _} ({@code
 *       or{ders}} becomes {@code orders}), unless the key is written in brackets;
 *   <li>every other name must be a property of {@link IdAllocatorProperties} (inside each map entry too); a misspelling
 *       is reported with the nearest valid key (by edit distance).
 * </ul>
 *
 * <p>Names from the system environment and system properties are not checked for unknown keys, as Spring Boot does for
 * {@code ignoreUnknownFields = false}: they are shared with everything else the process runs.
 */
final class IdAllocatorPropertyNames {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

    /** The properties holding maps whose keys are names the user chooses, and what one entry is called. */
    private static final Map<String, String> NAMED_ENTRIES =
            Map.of("allocators", "allocator", "sequences", "sequence", "pools", "pool", "tasks", "task queue");

    private static final String MAP_KEY = "<name>";

    private IdAllocatorPropertyNames() {}

    /**
     * Binds {@code idallocator.*} of {@code environment} after checking the names written there.
     *
     * @throws InvalidIdAllocatorPropertyNameException naming every name that would be ignored or changed
     */
    static IdAllocatorProperties bind(Environment environment) {
        checkEntryNames(environment);
        try {
            return Binder.get(environment)
                    .bindOrCreate(
                            PREFIX,
                            Bindable.of(IdAllocatorProperties.class),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()));
        } catch (BindException ex) {
            if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
                List<WrongName> names = new ArrayList<>();
                for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                    names.add(unknown(property.getName(), property.getOrigin()));
                }
                throw new InvalidIdAllocatorPropertyNameException(names);
            }
            throw ex;
        }
    }

    /** Reports the names of allocators, sequences and pools that binding would split or strip. */
    private static void checkEntryNames(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        Map<String, WrongName> found = new LinkedHashMap<>();
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || source instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            for (String written : enumerable.getPropertyNames()) {
                WrongName wrong = wrongEntryName(written, source);
                if (wrong != null) {
                    found.putIfAbsent(wrong.problem(), wrong);
                }
            }
        }
        if (!found.isEmpty()) {
            throw new InvalidIdAllocatorPropertyNameException(List.copyOf(found.values()));
        }
    }

    private static @Nullable WrongName wrongEntryName(String written, PropertySource<?> source) {
        if (!written.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        List<String> elements = elements(written);
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(written, '.');
        if (elements.size() < 3
                || !ROOT.isAncestorOf(name)
                || name.getNumberOfElements() < 3
                || !elements.get(0).equalsIgnoreCase(PREFIX)) {
            return null;
        }
        String map = name.getElement(1, Form.DASHED);
        String kind = NAMED_ENTRIES.get(map);
        String writtenKey = elements.get(2);
        if (kind == null || writtenKey.startsWith("[")) {
            return null;
        }
        Type entryType = mapValueType(map);
        String boundKey = name.getElement(2, Form.ORIGINAL);
        String origin = origin(OriginLookup.getOrigin(source, written));
        String under = PREFIX + "." + map;
        if (!boundKey.equals(writtenKey)) {
            return new WrongName(
                    written,
                    origin,
                    "the " + kind + " name '" + writtenKey + "' under " + under + " is bound as '" + boundKey
                            + "': Spring drops the characters other than letters, digits, '-' and '_' from a map key "
                            + "that is not in brackets",
                    fix(kind, under, writtenKey));
        }
        if (walk(entryType, name, 3).unknownAt() < 0) {
            return null;
        }
        for (int rest = 4; rest < name.getNumberOfElements() && rest <= elements.size(); rest++) {
            if (walk(entryType, name, rest).unknownAt() < 0) {
                String key = String.join(".", elements.subList(2, rest));
                return new WrongName(
                        written,
                        origin,
                        "the " + kind + " name '" + key + "' under " + under + " is split at its '.' into the "
                                + kind + " '" + writtenKey + "' and settings that do not exist, so there is no " + kind
                                + " '" + key + "'",
                        fix(kind, under, key));
            }
        }
        return null;
    }

    private static String fix(String kind, String under, String key) {
        return "Write the " + kind + " name in brackets to keep it as written: \"[" + key + "]\": under " + under
                + " in YAML (with the quotes), " + under + "[" + key + "].<setting> in a properties file.";
    }

    /** The elements of a name as written: split at dots outside brackets, a bracketed part one element. */
    private static List<String> elements(String written) {
        List<String> elements = new ArrayList<>();
        StringBuilder element = new StringBuilder();
        int depth = 0;
        for (char c : written.toCharArray()) {
            if (depth == 0 && (c == '.' || c == '[')) {
                if (!element.isEmpty()) {
                    elements.add(element.toString());
                    element.setLength(0);
                }
                if (c == '.') {
                    continue;
                }
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            element.append(c);
        }
        if (!element.isEmpty()) {
            elements.add(element.toString());
        }
        return elements;
    }

    /** A name that is no property of idallocator, with the nearest valid key. */
    private static WrongName unknown(ConfigurationPropertyName name, @Nullable Origin origin) {
        Walk walk = walk(IdAllocatorProperties.class, name, ROOT.getNumberOfElements());
        if (walk.unknownAt() < 0) {
            return new WrongName(
                    name.toString(), origin(origin), "it was not bound", "Check the value of " + name + ".");
        }
        ConfigurationPropertyName known = name.chop(walk.unknownAt());
        String written = name.subName(walk.unknownAt()).toString();
        List<String> keys = keys(walk.type());
        String nearest = nearest(written, keys);
        String where = known.toString();
        if (nearest != null) {
            String suggestion = where + "." + nearest;
            return new WrongName(
                    name.toString(),
                    origin(origin),
                    "idallocator has no property of that name, so the value would be ignored; the nearest valid key is '"
                            + suggestion + "'",
                    "Rename " + name + " to " + suggestion + " (or remove it).");
        }
        Set<String> first = new LinkedHashSet<>();
        keys.forEach(key -> first.add(key.split("[.\\[]", 2)[0]));
        return new WrongName(
                name.toString(),
                origin(origin),
                "idallocator has no property of that name, so the value would be ignored",
                "Remove " + name + ", or use one of the keys under " + where + ": " + String.join(", ", first)
                        + " (see docs/configuration.md).");
    }

    private static @Nullable String origin(@Nullable Origin origin) {
        return origin == null ? null : origin.toString();
    }

    /** The valid key nearest to {@code written} by edit distance, when near enough to be a misspelling. */
    private static @Nullable String nearest(String written, List<String> keys) {
        String writtenLeaf = leaf(written);
        return keys.stream()
                .map(key -> Map.entry(key, Math.min(distance(written, key), distance(writtenLeaf, leaf(key)) + 2)))
                .filter(scored -> scored.getValue() <= Math.max(2, written.length() / 3))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Where {@code name} stops naming a property, walking its elements from {@code index} through {@code type}: the
     * index of the first element that names nothing (-1 when the whole name is valid) and the type it was looked up in.
     */
    private record Walk(int unknownAt, Type type) {}

    private static Walk walk(Type type, ConfigurationPropertyName name, int index) {
        if (index >= name.getNumberOfElements()) {
            return new Walk(-1, type);
        }
        Class<?> raw = rawClass(type);
        if (raw.isRecord()) {
            String element = name.getElement(index, Form.UNIFORM);
            for (RecordComponent component : raw.getRecordComponents()) {
                if (component.getName().toLowerCase(Locale.ROOT).equals(element)) {
                    return walk(component.getGenericType(), name, index + 1);
                }
            }
            return new Walk(index, type);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return walk(typeArgument(type, 1), name, index + 1);
        }
        if (List.class.isAssignableFrom(raw) && name.isNumericIndex(index)) {
            return walk(typeArgument(type, 0), name, index + 1);
        }
        return new Walk(index, type);
    }

    /** Every valid key under {@code type}, relative to it, map keys written as {@code <name>}. */
    private static List<String> keys(Type type) {
        Class<?> raw = rawClass(type);
        List<String> keys = new ArrayList<>();
        if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                String key = dashed(component.getName());
                List<String> below = keys(component.getGenericType());
                if (below.isEmpty() || rawClass(component.getGenericType()) == List.class) {
                    keys.add(key);
                }
                below.forEach(sub -> keys.add(key + (sub.startsWith("[") ? "" : ".") + sub));
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            keys(typeArgument(type, 1)).forEach(sub -> keys.add(MAP_KEY + "." + sub));
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = typeArgument(type, 0);
            keys.add("[0]");
            keys(element).forEach(sub -> keys.add("[0]." + sub));
        }
        return keys;
    }

    private static Type mapValueType(String map) {
        for (RecordComponent component : IdAllocatorProperties.class.getRecordComponents()) {
            if (dashed(component.getName()).equals(map)) {
                return typeArgument(component.getGenericType(), 1);
            }
        }
        throw new IllegalArgumentException("No map " + map);
    }

    private static String dashed(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return type instanceof Class<?> c ? c : Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType parameterized
                ? parameterized.getActualTypeArguments()[index]
                : Object.class;
    }
}
