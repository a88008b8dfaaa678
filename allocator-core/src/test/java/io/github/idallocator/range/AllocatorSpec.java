package io.github.idallocator.range;

import io.github.idallocator.launcher.RedisServerProcess;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * Fixture shared by the range allocator specs: the shared test Redis, a connection through the parameterised client
 * (the concrete class adds {@code @ParameterizedClass @EnumSource(RedisClient.class)}), and a fresh allocator name per
 * test so no test sees another's keys.
 */
abstract class AllocatorSpec {

    @Parameter
    RedisClient client;

    RedisServerProcess server;
    RedisClient.Factory factory;
    String name;

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        this.factory = client.connect(server);
        this.name = getClass().getSimpleName() + "-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.close();
    }
}
