package io.github.idallocator.tck.redis;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.tck.LockServiceContractTest;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.WithRedisClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lock contract on Redis, through Lettuce and through Jedis. Every service has a connection of its own, as the
 * services of separate processes would.
 */
@WithRedisClients
class RedisLockServiceContractTest extends LockServiceContractTest {

    private final RedisClient client;
    private final RedisServerProcess server;
    private final List<AutoCloseable> closers = new ArrayList<>();

    RedisLockServiceContractTest(RedisClient client, RedisServerProcess server) {
        this.client = client;
        this.server = server;
    }

    @Override
    protected LockService createService(LockConfig config) {
        RedisClient.Factory factory = client.connect(server);
        closers.add(factory);
        RedisLockService service = RedisLockService.create(factory.connectionFactory(), config);
        closers.add(service);
        return service;
    }

    @Override
    protected Map<String, String> storedState(LockConfig config) {
        return RedisInspection.snapshot(server, config.namespace() + ":*");
    }

    @Override
    protected void loseLock(LockConfig config, String name) {
        server.command("DEL", config.keyPrefix() + ":{" + config.namespace() + ":" + name + "}:lock");
    }

    @Override
    protected void closeServices() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        closers.clear();
    }
}
