package io.github.idallocator.tck.redis;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.tck.IdAllocatorInvalidInputTest;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.util.Map;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Invalid input to the range allocator on Redis, through Lettuce and through Jedis; "nothing written" means the type
 * and DUMP of every key of the allocator are the same before and after.
 */
@WithRedisClients
class RedisIdAllocatorInvalidInputTest extends IdAllocatorInvalidInputTest {

    private final RedisServerProcess server;
    private final RedisConnectionFactory connectionFactory;

    RedisIdAllocatorInvalidInputTest(RedisServerProcess server, RedisConnectionFactory connectionFactory) {
        this.server = server;
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId) {
        return RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId);
    }

    @Override
    protected Map<String, String> storedState(String allocatorName) {
        return RedisInspection.snapshot(server, allocatorName);
    }
}
