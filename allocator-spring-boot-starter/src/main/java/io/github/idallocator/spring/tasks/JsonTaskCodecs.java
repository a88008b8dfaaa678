package io.github.idallocator.spring.tasks;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.tasks.TaskCodec;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Task payloads and results as JSON, written and read by the application's {@link JsonMapper} (so its modules and
 * settings apply); {@code String} values are stored as they are, not as JSON strings. A stored text that does not
 * decode into the asked type fails with an {@link InvalidArgumentException} naming the type.
 */
public final class JsonTaskCodecs implements TaskCodecs {

    private final JsonMapper mapper;

    /**
     * Creates the codecs.
     *
     * @param mapper the application's JSON mapper
     */
    public JsonTaskCodecs(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public <T> TaskCodec<T> codec(Class<T> type) {
        if (type == String.class) {
            return TaskCodecs.forString(type);
        }
        return new TaskCodec<>() {
            @Override
            public String encode(T value) {
                try {
                    return mapper.writeValueAsString(value);
                } catch (JacksonException e) {
                    throw new InvalidArgumentException(
                            "value",
                            type.getName(),
                            "a " + type.getName() + " cannot be written as JSON: " + e.getOriginalMessage(),
                            "send a value the application's JsonMapper can write");
                }
            }

            @Override
            public T decode(String stored) {
                try {
                    return mapper.readValue(stored, type);
                } catch (JacksonException e) {
                    throw new InvalidArgumentException(
                            "stored",
                            stored.length() > 200 ? stored.substring(0, 200) + "..." : stored,
                            "the stored text is not the JSON of a " + type.getName() + ": " + e.getOriginalMessage(),
                            "read it as the type it was submitted as, or as a String");
                }
            }
        };
    }

    @Override
    public boolean supports(Class<?> type) {
        return true;
    }

    @Override
    public String toString() {
        return "JsonTaskCodecs";
    }
}
