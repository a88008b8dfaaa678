package io.github.idallocator.autoconfigure;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.spring.IdAllocatorStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Reports an {@link IdAllocatorStartupException} with the action that fits its cause. */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class IdAllocatorStartupFailureAnalyzer extends AbstractFailureAnalyzer<IdAllocatorStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IdAllocatorStartupException cause) {
        Throwable reason = cause.getCause();
        String action;
        if (reason instanceof RedisUnavailableException) {
            action = "Start Redis, or point spring.data.redis.* (host and port, or url; username, password, ssl) at a "
                    + "running one. Allocators attach to Redis while the application starts; give "
                    + "spring.data.redis.timeout a value of a few seconds so an unreachable Redis fails fast.";
        } else if (reason instanceof ConfigurationMismatchException) {
            action = "Set " + cause.minIdProperty() + " and " + cause.maxIdProperty()
                    + " to the range stored in Redis, use another allocator name or idallocator.key-prefix, or "
                    + "delete the allocator's keys to recreate it with the new range.";
        } else if (reason instanceof KeyConflictException) {
            action = "Choose another idallocator.key-prefix or allocator name, or delete the key that holds "
                    + "foreign data.";
        } else if (reason instanceof IdsExhaustedException) {
            action = "Every id of the range is leased by a running instance. Widen the range with "
                    + cause.minIdProperty() + " and " + cause.maxIdProperty() + ", or stop instances that no longer "
                    + "need one (leases of instances that died expire by themselves).";
        } else {
            action = "See the cause below; the settings are under " + cause.settings()
                    + (cause.settings().startsWith("idallocator.etcd") ? "." : " and spring.data.redis.");
        }
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
