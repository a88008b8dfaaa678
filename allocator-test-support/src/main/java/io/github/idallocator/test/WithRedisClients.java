package io.github.idallocator.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once per {@link RedisClient} (Lettuce, then Jedis) against the run's shared
 * redis-server ({@link WithRedisServer}), with {@link RedisClientExtension}: constructor, lifecycle and test method
 * parameters of type {@link RedisClient} receive the client of the current round, parameters of type {@code
 * RedisConnectionFactory} a factory of that client connected to the shared server, closed after the test.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@WithRedisServer
@ClassTemplate
@ExtendWith(RedisClientExtension.class)
public @interface WithRedisClients {}
