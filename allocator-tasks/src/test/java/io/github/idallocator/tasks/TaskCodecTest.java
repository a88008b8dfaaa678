package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The codecs the module ships keep every value intact. */
@Tag("no-redis")
class TaskCodecTest {

    @Test
    void stringsAreStoredAsTheyAre() {
        assertThat(TaskCodec.strings().encode("héllo {}|")).isEqualTo("héllo {}|");
        assertThat(TaskCodec.strings().decode("x")).isEqualTo("x");
    }

    @Test
    void everyByteSurvivesTheBytesCodec() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }

        String stored = TaskCodec.bytes().encode(all);

        assertThat(stored).isEqualTo(new String(stored.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII));
        assertThat(TaskCodec.bytes().decode(stored)).isEqualTo(all);
    }
}
