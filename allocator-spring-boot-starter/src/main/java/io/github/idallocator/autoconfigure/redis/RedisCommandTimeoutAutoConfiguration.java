package io.github.idallocator.autoconfigure.redis;

import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.lettuce.core.RedisClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Bounds the commands of the Lettuce client Spring Boot builds when {@code spring.data.redis.timeout} is not set: Lettuce
 * would otherwise wait 60 s for an answer, so that every allocation, health check and scrape hangs that long while Redis
 * is down. The timeout is {@code idallocator.default-command-timeout} (2 s unless set; 0 keeps Lettuce's default). A
 * timeout the application sets, Jedis and a connection factory of the application's own are left as they are.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({LettuceClientConfigurationBuilderCustomizer.class, RedisClient.class})
@ConditionalOnBooleanProperty(name = "idallocator.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdAllocatorProperties.class)
public final class RedisCommandTimeoutAutoConfiguration {

    @Bean
    LettuceClientConfigurationBuilderCustomizer idallocatorDefaultCommandTimeout(
            IdAllocatorProperties properties, Environment environment) {
        return new DefaultCommandTimeout(
                properties.defaultCommandTimeout(), environment.containsProperty(DefaultCommandTimeout.PROPERTY));
    }
}
