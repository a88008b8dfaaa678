package io.github.idallocator.tck.redis;

import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.range.RedisIdAllocator;
import io.github.idallocator.snowflake.RedisWorkerIdStore;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.tck.WorkerIdStoreContractTest;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The worker-id store contract on Redis ({@link RedisWorkerIdStore} over a range allocator), through Lettuce and Jedis. */
@WithRedisClients
class RedisWorkerIdStoreContractTest extends WorkerIdStoreContractTest {

    private final RedisConnectionFactory connectionFactory;

    RedisWorkerIdStoreContractTest(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected WorkerIdStore createStore(String namespace, long minId, long maxId, String instanceId) {
        IdAllocatorConfig config = IdAllocatorConfig.builder(namespace, minId, maxId)
                .reuseDelay(Duration.ZERO)
                .build();
        return new RedisWorkerIdStore(RedisIdAllocator.createOrAttach(connectionFactory, config, instanceId));
    }
}
