package io.github.idallocator.internal;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.util.ClassUtils;

/**
 * Recognises a client failure that means Redis could not be reached or did not answer in time. Spring's exception
 * types say so for both clients ({@code RedisConnectionFailureException}, {@code QueryTimeoutException}, ...: a
 * {@link DataAccessResourceFailureException} or {@link TransientDataAccessException} anywhere in the cause chain, which
 * also covers a pipeline's {@code RedisPipelineException}). A few failures of each client reach the application without
 * such a type; {@link LettuceFailures} and {@link JedisFailures} recognise those, each only when its client is on the
 * class path.
 */
final class UnavailableRedis {

    private static final boolean LETTUCE =
            ClassUtils.isPresent("io.lettuce.core.RedisException", UnavailableRedis.class.getClassLoader());

    private static final boolean JEDIS = ClassUtils.isPresent(
            "redis.clients.jedis.exceptions.JedisException", UnavailableRedis.class.getClassLoader());

    private UnavailableRedis() {}

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException) {
                return true;
            }
        }
        return (LETTUCE && LettuceFailures.isDisconnected(failure)) || (JEDIS && JedisFailures.gaveUp(failure));
    }
}
