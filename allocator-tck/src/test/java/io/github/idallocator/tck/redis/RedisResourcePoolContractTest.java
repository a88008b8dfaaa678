package io.github.idallocator.tck.redis;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.pool.PoolConfig;
import io.github.idallocator.pool.RedisResourcePool;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.tck.ResourcePoolContractTest;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.WithRedisClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pool contract on Redis, through Lettuce and through Jedis. Every pool instance has a connection of its own, as
 * the instances of separate processes would.
 */
@WithRedisClients
class RedisResourcePoolContractTest extends ResourcePoolContractTest {

    private final RedisClient client;
    private final RedisServerProcess server;
    private final List<AutoCloseable> closers = new ArrayList<>();

    RedisResourcePoolContractTest(RedisClient client, RedisServerProcess server) {
        this.client = client;
        this.server = server;
    }

    @Override
    protected ResourcePool createPool(PoolConfig config, @Nullable ResourceHealthCheck healthCheck) {
        RedisClient.Factory factory = client.connect(server);
        closers.add(factory);
        RedisResourcePool pool = RedisResourcePool.createOrAttach(
                factory.connectionFactory(), config, InstanceIds.generate(), healthCheck);
        closers.add(pool);
        return pool;
    }

    @Override
    protected Map<String, String> storedState(PoolConfig config) {
        return RedisInspection.snapshot(server, "pool:" + config.name());
    }

    @Override
    protected void losePool(PoolConfig config) {
        for (String key :
                RedisInspection.snapshot(server, "pool:" + config.name()).keySet()) {
            server.command("DEL", key);
        }
    }

    @Override
    protected void closePools() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        closers.clear();
    }
}
