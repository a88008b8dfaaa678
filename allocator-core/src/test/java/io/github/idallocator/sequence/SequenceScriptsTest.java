package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The errors the sequence scripts raise, decoded into the sequence's typed exceptions. */
@WithRedisServer
class SequenceScriptsTest {

    private RedisServerProcess server;
    private LettuceConnectionFactory factory;
    private String name;

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        this.name = "seq-contract-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
    }

    @Test
    void aCounterPastTheLastIdInRedisIsATypedExhaustionNamingTheSegmentSize() {
        server.command("HSET", "idalloc:{" + name + "}:sequence", "next", "9223372036854775808");
        RedisSequenceAllocator sequence = RedisSequenceAllocator.create(
                factory,
                SequenceConfig.builder(name)
                        .step(7)
                        .recoveryPeriod(Duration.ZERO)
                        .build());

        assertThatThrownBy(sequence::next)
                .isInstanceOf(IdsExhaustedException.class)
                .hasMessage("Sequence '" + name + "' cannot grant 7 more ids: it would pass 9223372036854775807 "
                        + "(2^63 - 1). Start a new sequence.");
    }
}
