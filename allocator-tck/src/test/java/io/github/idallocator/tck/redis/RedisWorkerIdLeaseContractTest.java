package io.github.idallocator.tck.redis;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.tck.WorkerIdLeaseContractTest;
import io.github.idallocator.test.WithRedisClients;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Snowflake worker-id leases on Redis, through Lettuce and through Jedis. */
@WithRedisClients
class RedisWorkerIdLeaseContractTest extends WorkerIdLeaseContractTest {

    private final RedisConnectionFactory connectionFactory;

    RedisWorkerIdLeaseContractTest(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected IdAllocator createOrAttach(IdAllocatorConfig config, String instanceId) {
        return RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId);
    }
}
