package io.github.idallocator.tck.redis;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import io.github.idallocator.tck.SequenceAllocatorContractTest;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisInspection;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The sequence contract on Redis, through Lettuce and through Jedis. Every sequence instance has a connection of its
 * own, as the instances of separate processes would.
 */
@WithRedisClients
class RedisSequenceAllocatorContractTest extends SequenceAllocatorContractTest {

    private final RedisClient client;
    private final RedisServerProcess server;
    private final List<AutoCloseable> closers = new ArrayList<>();

    RedisSequenceAllocatorContractTest(RedisClient client, RedisServerProcess server) {
        this.client = client;
        this.server = server;
    }

    @Override
    protected SequenceAllocator createSequence(SequenceConfig config) {
        return closedAfterTheTest(RedisSequenceAllocator.create(connect(), config));
    }

    @Override
    protected SequenceAllocator createSequence(SequenceConfig config, Executor prefetchExecutor) {
        return closedAfterTheTest(
                RedisSequenceAllocator.create(new StringRedisTemplate(connect()), config, prefetchExecutor));
    }

    @Override
    protected Map<String, String> storedState(String sequenceName) {
        return RedisInspection.snapshot(server, sequenceName);
    }

    private RedisConnectionFactory connect() {
        RedisClient.Factory factory = client.connect(server);
        closers.add(factory);
        return factory.connectionFactory();
    }

    private SequenceAllocator closedAfterTheTest(RedisSequenceAllocator sequence) {
        closers.add(sequence);
        return sequence;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
    }
}
