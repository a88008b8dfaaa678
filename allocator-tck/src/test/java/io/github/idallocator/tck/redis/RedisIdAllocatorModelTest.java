package io.github.idallocator.tck.redis;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.tck.IdAllocatorModelTest;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisClients;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The range allocator against its in-memory model on Redis, through Lettuce and through Jedis. */
@WithRedisClients
class RedisIdAllocatorModelTest extends IdAllocatorModelTest {

    private final RedisClient client;
    private final RedisConnectionFactory connectionFactory;

    RedisIdAllocatorModelTest(RedisClient client, RedisConnectionFactory connectionFactory) {
        this.client = client;
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId) {
        return RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId);
    }

    @Override
    protected String backend() {
        return "Redis through " + client;
    }
}
