package io.github.idallocator.tck.redis;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.tck.IdAllocatorContractTest;
import io.github.idallocator.test.WithRedisClients;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The range allocator's contract on Redis, through Lettuce and through Jedis. */
@WithRedisClients
class RedisIdAllocatorContractTest extends IdAllocatorContractTest {

    private final RedisConnectionFactory connectionFactory;

    RedisIdAllocatorContractTest(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId) {
        return RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId);
    }
}
