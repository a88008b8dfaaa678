package io.github.idallocator.sample;

import io.github.idallocator.launcher.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Lets the sample run on a machine without Redis: when no {@code spring.data.redis.*} address is configured, it starts a
 * redis-server of its own (from the PATH, else the one shipped in the embedded-redis jar) on a free port of 127.0.0.1,
 * points the application at it and stops it on shutdown, after the application has released its leases (if the context
 * has not closed it 30 seconds into a JVM exit, the exit hook kills it). It decides on configuration, not on what
 * listens: a Redis on localhost:6379 is used only when {@code spring.data.redis.host} or {@code url} says so.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedRedisFallback.NoRedisConfigured.class)
class EmbeddedRedisFallback {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisFallback.class);

    /** How long the server outlives the start of a JVM exit (SIGTERM), so that the context can release leases first. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    /** Properties that say where Redis is; any of them turns the fallback off. */
    static final List<String> ADDRESS_PROPERTIES = List.of(
            "spring.data.redis.host",
            "spring.data.redis.port",
            "spring.data.redis.url",
            "spring.data.redis.sentinel.master",
            "spring.data.redis.sentinel.nodes",
            "spring.data.redis.cluster.nodes",
            "spring.data.redis.masterreplica.nodes");

    @Bean(destroyMethod = "close")
    RedisServerProcess embeddedRedisServer() {
        RedisServerProcess server =
                RedisServerProcess.builder().exitGrace(EXIT_GRACE).start();
        log.info(
                "No Redis configured (spring.data.redis.*): started an embedded redis-server {} on {}:{}",
                server.version(),
                server.host(),
                server.port());
        return server;
    }

    @Bean
    DataRedisConnectionDetails embeddedRedisConnectionDetails(RedisServerProcess server) {
        return new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of(server.host(), server.port());
            }
        };
    }

    /** Matches when none of {@link #ADDRESS_PROPERTIES} is set (in any form: YAML, environment, command line). */
    static final class NoRedisConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            for (String property : ADDRESS_PROPERTIES) {
                if (environment.containsProperty(property)) {
                    return ConditionOutcome.noMatch(property + " is set");
                }
            }
            return ConditionOutcome.match("no spring.data.redis address is set");
        }
    }
}
