package io.github.idallocator.autoconfigure;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.spring.PoolStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Reports a {@link PoolStartupException} with the action that fits its cause. */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class PoolStartupFailureAnalyzer extends AbstractFailureAnalyzer<PoolStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PoolStartupException cause) {
        Throwable reason = cause.getCause();
        String action;
        if (reason instanceof RedisUnavailableException) {
            action = "Start Redis, or point spring.data.redis.* (host and port, or url; username, password, ssl) at a "
                    + "running one. Pools attach to Redis and add their configured resources while the application "
                    + "starts; give spring.data.redis.timeout a value of a few seconds so an unreachable Redis fails "
                    + "fast.";
        } else if (reason instanceof ConfigurationMismatchException) {
            action = "Set " + cause.settings() + ".max-holders to the value stored in Redis (every instance of a pool "
                    + "must agree), use another pool name or key prefix, or delete the pool's keys to recreate it.";
        } else if (reason instanceof KeyConflictException) {
            action = "Choose another key prefix or pool name, or delete the key that holds foreign data.";
        } else {
            action = "See the cause below; the settings are under " + cause.settings() + " and spring.data.redis.";
        }
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
