package io.github.idallocator.spring.tasks;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.tasks.TaskCodec;

/**
 * The codecs of typed payloads and results: {@code String} values are stored as they are, other types as the
 * application's JSON mapper writes them ({@link JsonTaskCodecs}). Without a mapper only strings can be sent ({@link
 * #strings()}).
 */
public interface TaskCodecs {

    /**
     * The codec of values of {@code type}.
     *
     * @throws InvalidArgumentException when values of this type cannot be encoded (no JSON mapper)
     */
    <T> TaskCodec<T> codec(Class<T> type);

    /** Whether values of {@code type} can be encoded. */
    boolean supports(Class<?> type);

    /** Strings only, as they are: what applications without a JSON mapper get. */
    static TaskCodecs strings() {
        return StringsOnly.INSTANCE;
    }

    /** The codec of {@code String} values: as they are. */
    @SuppressWarnings("unchecked")
    static <T> TaskCodec<T> forString(Class<T> type) {
        return (TaskCodec<T>) TaskCodec.strings();
    }

    /** Strings only. */
    final class StringsOnly implements TaskCodecs {

        private static final StringsOnly INSTANCE = new StringsOnly();

        private StringsOnly() {}

        @Override
        public <T> TaskCodec<T> codec(Class<T> type) {
            if (type != String.class) {
                throw new InvalidArgumentException(
                        "type",
                        type.getName(),
                        "values of " + type.getName() + " cannot be encoded: the application has no JSON mapper, so "
                                + "task payloads and results are strings only",
                        "send and receive Strings, or add Jackson (spring-boot-starter-json) for a JsonMapper bean");
            }
            return forString(type);
        }

        @Override
        public boolean supports(Class<?> type) {
            return type == String.class;
        }

        @Override
        public String toString() {
            return "TaskCodecs.strings()";
        }
    }
}
