package io.github.idallocator.benchmarks;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A private {@code redis-server} on a free port of 127.0.0.1 (never the shared 6379) with the two clients the
 * benchmarks compare: spring-data-redis's {@link LettuceConnectionFactory} with its defaults, as applications get it,
 * for the allocator, and a plain Lettuce connection (sync API) for the raw baselines and for inspecting the server.
 */
public final class BenchmarkRedis implements AutoCloseable {

    private final RedisServerProcess server;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final LettuceConnectionFactory connectionFactory;

    private BenchmarkRedis(RedisServerProcess server) {
        this.server = server;
        this.client = RedisClient.create(RedisURI.create(server.host(), server.port()));
        this.connection = client.connect();
        this.connectionFactory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        connectionFactory.afterPropertiesSet();
        connectionFactory.start();
    }

    /** Starts a redis-server (from PATH, or the embedded binary) and connects both clients to it. */
    public static BenchmarkRedis start() {
        return start(new String[0]);
    }

    /** Like {@link #start()}, with extra server arguments such as {@code "--repl-diskless-sync-delay", "0"}. */
    public static BenchmarkRedis start(String... arguments) {
        RedisServerProcess server = RedisServerProcess.start(arguments);
        try {
            return new BenchmarkRedis(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Creates the allocator in this server through the spring-data-redis connection factory. */
    public RedisIdAllocator allocator(IdAllocatorConfig config, String instanceId) {
        return RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId);
    }

    /**
     * The spring-data-redis connection factory the allocator uses (its defaults: one shared native connection), for the
     * sequences and the peers that run on spring-data-redis, so they share the allocator's kind of client.
     */
    public LettuceConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /** The plain Lettuce connection: one connection shared by all threads, as the connection factory shares one. */
    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /** Sync commands of the plain Lettuce connection. */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** The Lettuce client, for connections with other codecs. */
    public RedisClient client() {
        return client;
    }

    /** The server's process (one-off commands on a fresh connection, such as FLUSHALL). */
    public RedisServerProcess server() {
        return server;
    }

    /** {@code redis_version} as the running server reports it. */
    public String serverVersion() {
        return infoField("server", "redis_version");
    }

    /** One field of {@code INFO <section>}. */
    public String infoField(String section, String field) {
        String prefix = field + ":";
        for (String line : commands().info(section).split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IllegalStateException("INFO " + section + " has no field " + field);
    }

    /** Bytes Redis has allocated ({@code INFO memory used_memory}). */
    public long usedMemory() {
        return Long.parseLong(infoField("memory", "used_memory"));
    }

    /** {@code MEMORY USAGE key SAMPLES 0}: the exact size of every element, not an estimate from 5 samples. */
    public long memoryUsage(String key) {
        Object bytes = server.command("MEMORY", "USAGE", key, "SAMPLES", "0");
        return bytes == null ? 0 : (Long) bytes;
    }

    /** Resets {@code INFO commandstats} and {@code INFO latencystats}. */
    public void resetCommandStats() {
        commands().configResetstat();
    }

    /** The server's per-command counters and latency percentiles since the last reset. */
    public CommandStats commandStats() {
        return CommandStats.parse(commands().info("commandstats"), commands().info("latencystats"));
    }

    /** The process id of the redis-server, as it reports it. */
    public long serverPid() {
        return Long.parseLong(infoField("server", "process_id"));
    }

    /** A one-line description of the server, for the benchmark output. */
    public String describe() {
        return "redis-server " + serverVersion() + " at " + server.address() + " (" + server.binary() + ")";
    }

    @Override
    public void close() {
        try {
            connectionFactory.destroy();
            connection.close();
            client.shutdown();
        } finally {
            server.close();
        }
    }
}
