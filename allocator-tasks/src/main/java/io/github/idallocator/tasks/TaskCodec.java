package io.github.idallocator.tasks;

import java.util.Base64;

/**
 * Turns payloads and results into the strings a queue stores, and back. The queue never reads them; the codec is the
 * producer's and worker's shared agreement. Never Java serialisation: {@link #strings()}, {@link #bytes()} (Base64), or
 * JSON through the application's mapper (the starter provides one).
 *
 * @param <T> the type of the values
 */
public interface TaskCodec<T> {

    /** The stored form of {@code value}. */
    String encode(T value);

    /** The value of a stored form. */
    T decode(String stored);

    /** Strings as they are. */
    static TaskCodec<String> strings() {
        return Codecs.STRINGS;
    }

    /** Bytes as Base64 text. */
    static TaskCodec<byte[]> bytes() {
        return Codecs.BYTES;
    }

    /** The codecs this package ships. */
    final class Codecs {

        private static final TaskCodec<String> STRINGS = new TaskCodec<>() {
            @Override
            public String encode(String value) {
                return value;
            }

            @Override
            public String decode(String stored) {
                return stored;
            }
        };

        private static final TaskCodec<byte[]> BYTES = new TaskCodec<>() {
            @Override
            public String encode(byte[] value) {
                return Base64.getEncoder().encodeToString(value);
            }

            @Override
            public byte[] decode(String stored) {
                return Base64.getDecoder().decode(stored);
            }
        };

        private Codecs() {}
    }
}
