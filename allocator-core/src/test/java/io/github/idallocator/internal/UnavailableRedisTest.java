package io.github.idallocator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClusterProcesses;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The failures of each client that mean an unavailable Redis but that Spring Data Redis does not report as a connection
 * failure or a timeout: each is provoked against a real Redis that dies, stops or whose connection closes, and must
 * come out as {@link RedisUnavailableException} although no Spring type says so. (The failures Spring's types do
 * report, Redis down or not answering in time, are in {@code RedisFailureTest}.)
 */
class UnavailableRedisTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String BUSY_MS = "1500";

    private final LuaScript<Long> busy = LuaScripts.loadLong(LuaScriptsTest.DIR, "busy.lua");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private RedisServerProcess redis() {
        RedisServerProcess server = RedisServerProcess.start();
        opened.add(server);
        return server;
    }

    /** Lettuce as the core's tests use it: commands fail at once while disconnected (REJECT_COMMANDS). */
    private LettuceConnectionFactory lettuce(RedisServerProcess server) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(server.host(), server.port()),
                LettuceClientConfiguration.builder()
                        .commandTimeout(TIMEOUT)
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                .build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        opened.add(factory::destroy);
        return factory;
    }

    private ScriptRunner runner(RedisConnectionFactory factory) {
        return new ScriptRunner(new StringRedisTemplate(factory), "test script", error -> null);
    }

    /** Runs busy.lua for {@code ms} on another thread, so that the test can act while the command is in flight. */
    private CompletableFuture<Throwable> busyInFlight(ScriptRunner runner, String ms) {
        return CompletableFuture.supplyAsync(() -> catchThrowable(() -> runner.number(busy, List.of("{busy}"), ms)));
    }

    private static RedisUnavailableException unavailable(CompletableFuture<Throwable> call) throws Exception {
        Throwable thrown = call.get(10, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(RedisUnavailableException.class);
        assertThat(causes(thrown))
                .as("what the client reported, which no Spring type marks as unavailable")
                .noneMatch(t ->
                        t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException);
        return (RedisUnavailableException) thrown;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The client's failure as Spring reports it: a RedisSystemException around a plain Lettuce RedisException. */
    private static RedisException lettuceCause(RedisUnavailableException e) {
        assertThat(e.getCause()).isInstanceOf(RedisSystemException.class);
        assertThat(e.getCause().getCause()).isExactlyInstanceOf(RedisException.class);
        return (RedisException) e.getCause().getCause();
    }

    @Test
    void lettuceRejectingACommandWhileDisconnected() throws Exception {
        RedisServerProcess server = redis();
        ScriptRunner runner = runner(lettuce(server));
        runner.number(busy, List.of("{busy}"), "1");

        server.kill();
        RedisUnavailableException e = unavailable(busyInFlight(runner, "1"));

        assertThat(lettuceCause(e)).hasMessage("Currently not connected. Commands are rejected.");
    }

    @Test
    void lettuceCancellingACommandInFlightWhenRedisDies() throws Exception {
        RedisServerProcess server = redis();
        ScriptRunner runner = runner(lettuce(server));
        runner.number(busy, List.of("{busy}"), "1");

        CompletableFuture<Throwable> call = busyInFlight(runner, BUSY_MS);
        Thread.sleep(300);
        server.kill();

        assertThat(lettuceCause(unavailable(call))).hasMessage("Connection disconnected");
    }

    @Test
    void lettuceCancellingACommandInFlightWhenTheConnectionIsClosed() throws Exception {
        RedisServerProcess server = redis();
        LettuceConnectionFactory factory = lettuce(server);
        ScriptRunner runner = runner(factory);
        runner.number(busy, List.of("{busy}"), "1");

        CompletableFuture<Throwable> call = busyInFlight(runner, BUSY_MS);
        Thread.sleep(300);
        factory.destroy();

        assertThat(lettuceCause(unavailable(call))).hasMessage("Connection closed");
    }

    @Test
    void lettuceFailingACommandInFlightWhenTheConnectionIsReset() throws Exception {
        RedisServerProcess server = redis();
        ScriptRunner runner = runner(lettuce(server));
        runner.number(busy, List.of("{busy}"), "1");

        server.pause();
        CompletableFuture<Throwable> call = busyInFlight(runner, "1");
        Thread.sleep(300);
        server.kill(); // a stopped process killed with unread input resets its connections

        assertThat(lettuceCause(unavailable(call))).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void jedisGivingUpOnAClusterNodeItCannotReach() throws Exception {
        RedisClusterProcesses cluster = RedisClusterProcesses.start();
        opened.add(cluster);
        JedisConnectionFactory factory = new JedisConnectionFactory(
                new RedisClusterConfiguration(cluster.nodes()),
                JedisClientConfiguration.builder()
                        .connectTimeout(TIMEOUT)
                        .readTimeout(TIMEOUT)
                        .usePooling()
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        opened.add(factory::destroy);
        ScriptRunner runner = runner(factory);
        runner.number(busy, List.of("{busy}"), "1");

        cluster.serverForKey("{busy}").kill();
        RedisUnavailableException e = unavailable(busyInFlight(runner, "1"));

        Throwable gaveUp = causes(e).stream()
                .filter(JedisClusterOperationException.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(gaveUp.getSuppressed()).hasAtLeastOneElementOfType(JedisConnectionException.class);
    }
}
