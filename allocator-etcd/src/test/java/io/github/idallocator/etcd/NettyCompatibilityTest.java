package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import io.github.idallocator.test.WithRedisServer;
import io.netty.util.Version;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Lettuce (Spring Data Redis) and jetcd (gRPC over Netty, Vert.x) share one JVM and one Netty: the version Spring
 * Boot's BOM selects, against a real redis-server and a real etcd.
 */
@WithRedisServer
@WithEtcd
class NettyCompatibilityTest {

    @Test
    void lettuceAndJetcdWorkTogetherOnSpringBootsNetty(RedisServerProcess redis, EtcdProcess etcd) throws Exception {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            template.afterPropertiesSet();

            ByteSequence key = ByteSequence.from("netty-compat", StandardCharsets.UTF_8);
            client.getKVClient()
                    .put(key, ByteSequence.from("etcd", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            template.opsForValue().set("netty-compat", "redis");

            String pong = template.execute((RedisCallback<String>) connection -> connection.ping());
            assertThat(pong).isEqualTo("PONG");
            assertThat(template.opsForValue().get("netty-compat")).isEqualTo("redis");
            assertThat(client.getKVClient()
                            .get(key)
                            .get(10, TimeUnit.SECONDS)
                            .getKvs()
                            .get(0)
                            .getValue()
                            .toString(StandardCharsets.UTF_8))
                    .isEqualTo("etcd");
        } finally {
            factory.destroy();
        }

        Map<String, Version> netty = Version.identify();
        Set<String> versions = new TreeSet<>();
        netty.values().forEach(v -> versions.add(v.artifactVersion()));
        System.out.println("Netty in use: " + versions + " " + netty.keySet());
        assertThat(versions).as("one Netty version for every Netty artifact").hasSize(1);
        assertThat(versions.iterator().next()).startsWith("4.2.");
        assertThat(netty).containsKeys("netty-common", "netty-codec-http2", "netty-transport");
    }
}
