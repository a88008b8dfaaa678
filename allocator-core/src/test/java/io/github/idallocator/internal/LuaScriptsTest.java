package io.github.idallocator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** How {@link LuaScripts} composes a script from its files, and how a Lua error names the file it happened in. */
@WithRedisServer
class LuaScriptsTest {

    static final String DIR = "io/github/idallocator/internal/lua";

    private LettuceConnectionFactory factory;
    private ScriptRunner runner;

    @BeforeEach
    void connect(RedisServerProcess server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        runner = new ScriptRunner(new StringRedisTemplate(factory), "test script", error -> null);
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
    }

    @Test
    void helpersOfHelpersAreIncludedOnceEachBeforeTheFilesThatNeedThem() {
        LuaScript<Long> script = LuaScripts.loadLong(DIR, "transitive.lua");

        assertThat(script.files()).containsExactly("lib_base.lua", "lib_middle.lua", "lib_top.lua", "transitive.lua");
        assertThat(script.redisScript().getScriptAsString()).containsOnlyOnce("local function base()");
    }

    @Test
    void eachFileOfTheScriptFollowsItsMarkerLine() {
        String text = LuaScripts.loadLong(DIR, "transitive.lua").redisScript().getScriptAsString();

        assertThat(text)
                .startsWith("-- file: lib_base.lua\n-- A helper without helpers of its own.\n")
                .contains("\n-- file: lib_middle.lua\n-- A helper that needs another.\n")
                .contains("\n-- file: transitive.lua\n-- An operation that names only some");
    }

    @Test
    void aComposedScriptRunsWithItsHelpers() {
        @SuppressWarnings("rawtypes")
        LuaScript<List> script = LuaScripts.load(DIR, "transitive_list.lua");

        assertThat(runner.list(script, List.of())).containsExactly("base>middle>top");
    }

    @Test
    void anUnknownHelperIsRejectedNamingItAndTheFileThatNeedsIt() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "needs_unknown.lua"))
                .withMessageContaining(DIR + "/lib_nowhere.lua")
                .withMessageContaining("which lib_needs_unknown.lua needs")
                .withMessageContaining("missing from the class path");
    }

    @Test
    void anUnknownOperationIsRejectedNamingIt() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "no_such_operation.lua"))
                .withMessageContaining(DIR + "/no_such_operation.lua")
                .withMessageContaining("missing from the class path");
    }

    @Test
    void aNeedsLineThatIsNotAListOfFileNamesIsRejectedNamingTheFileAndLine() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "header_with_commas.lua"))
                .withMessageContaining("line 2 of Lua script " + DIR + "/header_with_commas.lua")
                .withMessageContaining("-- needs: lib_base.lua, lib_middle.lua");
    }

    @Test
    void aNeedsLineWithoutFilesIsRejected() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "header_without_files.lua"))
                .withMessageContaining("line 1 of Lua script " + DIR + "/header_without_files.lua");
    }

    @Test
    void aNeedsLineBelowTheFirstLineOfCodeIsRejectedRatherThanIgnored() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "needs_below_code.lua"))
                .withMessageContaining("line 3 of Lua script " + DIR + "/needs_below_code.lua")
                .withMessageContaining("in its header comment");
    }

    @Test
    void helpersThatNeedEachOtherAreRejectedNamingTheCycle() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LuaScripts.load(DIR, "cycle.lua"))
                .withMessageContaining("lib_cycle_a.lua -> lib_cycle_b.lua -> lib_cycle_a.lua");
    }

    @Test
    void aLuaErrorInAHelperNamesTheHelperAndItsLine() {
        @SuppressWarnings("rawtypes")
        LuaScript<List> script = LuaScripts.load(DIR, "fails_in_helper.lua");

        IdAllocatorException failed =
                catchThrowableOfType(IdAllocatorException.class, () -> runner.list(script, List.of()));

        assertThat(failed.getMessage())
                .contains("attempt to index")
                .contains("in lua/fails_in_helper.lua, at lib_fails.lua line 5");
        assertThat(failed.isRetryable()).isFalse();
    }

    @Test
    void aLuaErrorInTheOperationNamesTheOperationAndItsLine() {
        @SuppressWarnings("rawtypes")
        LuaScript<List> script = LuaScripts.load(DIR, "fails_in_operation.lua");

        IdAllocatorException failed =
                catchThrowableOfType(IdAllocatorException.class, () -> runner.list(script, List.of()));

        assertThat(failed.getMessage()).contains("at fails_in_operation.lua line 4");
    }

    @Test
    void theOriginOfALineIsFoundInTheErrorsOfRedis62AndRedis7() {
        LuaScript<Long> script = LuaScripts.loadLong(DIR, "fails_in_helper.lua");
        int line = script.redisScript().getScriptAsString().lines().toList().indexOf("  return missing.field") + 1;

        String redis7 = "ERR user_script:" + line + ": attempt to index local 'missing' (a nil value) script: 0f5c, on"
                + " @user_script:" + line + ".";
        String redis62 = "ERR Error running script (call to f_0f5c): @user_script:" + line + ": user_script:" + line
                + ": attempt to index local 'missing' (a nil value)";

        assertThat(script.origin(redis7)).contains("lib_fails.lua line 5");
        assertThat(script.origin(redis62)).contains("lib_fails.lua line 5");
        assertThat(script.origin("ERR something without a line")).isEmpty();
    }
}
