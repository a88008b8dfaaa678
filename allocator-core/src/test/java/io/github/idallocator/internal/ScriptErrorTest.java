package io.github.idallocator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.KeyConflictException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;

/** The one convention of script errors, {@code IDALLOC_<CODE> field1 field2 ...}, and how it becomes an exception. */
@Tag("no-redis")
class ScriptErrorTest {

    private static final ScriptError.Decoder NONE = error -> null;

    @Test
    void theCodeAndFieldsAreReadFromTheClientFailuresCause() {
        RuntimeException failure =
                new RedisSystemException("Error in execution", new IllegalStateException("IDALLOC_MISMATCH 0 1023 v2"));

        assertThat(ScriptError.in(failure)).contains(new ScriptError("MISMATCH", List.of("0", "1023", "v2")));
    }

    @Test
    void theFieldsEndWithTheLine() {
        RuntimeException failure = new IllegalStateException(
                "IDALLOC_SEQUENCE_EXHAUSTED 9223372036854775808 4\n" + "at the next line something else");

        ScriptError error = ScriptError.in(failure).orElseThrow();

        assertThat(error.fields()).containsExactly("9223372036854775808", "4");
        assertThat(error.longField(1)).isEqualTo(4);
    }

    @Test
    void aFailureWithoutTheConventionCarriesNoScriptError() {
        assertThat(ScriptError.in(new IllegalStateException("ERR user_script:3: attempt to index a nil value")))
                .isEmpty();
    }

    @Test
    void theConceptsDecoderDecidesTheExceptionOfItsCodes() {
        ScriptError error = new ScriptError("SEQUENCE_EXHAUSTED", List.of("9223372036854775808", "4"));

        IdAllocatorException decoded =
                error.toException("sequence 's'", e -> new IdsExhaustedException("no more than " + e.field(1)));

        assertThat(decoded).isInstanceOf(IdsExhaustedException.class).hasMessage("no more than 4");
    }

    @Test
    void aKeyOfAnotherTypeIsAKeyConflictNamingTheKeyAndBothTypes() {
        ScriptError error = new ScriptError("WRONGTYPE", List.of("idalloc:{a}:leases", "string", "hash"));

        assertThat(error.toException("allocator 'a'", NONE))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageStartingWith("Key idalloc:{a}:leases of allocator 'a' holds a string, not a hash");
    }

    @Test
    void anUnknownCodeIsReportedWithItsFields() {
        ScriptError error = new ScriptError("FUTURE", List.of("1", "2"));

        assertThat(error.toException("allocator 'a'", NONE))
                .isExactlyInstanceOf(IdAllocatorException.class)
                .hasMessageContaining("IDALLOC_FUTURE 1 2")
                .hasMessageContaining("allocator 'a'");
    }
}
