package io.github.idallocator.range;

import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisServerProcess;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Fixture shared by the range allocator specs: the shared test Redis, a connection through the client of the current
 * round (the concrete class adds {@code @WithRedisClients}), and a fresh allocator name per test so no test sees
 * another's keys.
 */
abstract class AllocatorSpec {

    RedisClient client;

    RedisServerProcess server;
    RedisClient.Factory factory;
    String name;

    @BeforeEach
    void connect(RedisServerProcess server, RedisClient client) {
        this.server = server;
        this.client = client;
        this.factory = client.connect(server);
        this.name = getClass().getSimpleName() + "-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.close();
    }
}
