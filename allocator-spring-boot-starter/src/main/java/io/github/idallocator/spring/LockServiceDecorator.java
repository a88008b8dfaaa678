package io.github.idallocator.spring;

import io.github.idallocator.lock.LockService;

/**
 * Wraps the starter's {@link LockService} (from {@code idallocator.locks}) before it becomes a bean, for example to add
 * metrics (the starter's own Micrometer support is one). Define beans of this type; they are applied in their {@link
 * org.springframework.core.annotation.Order order}, the first one innermost. A wrapper overrides the primitives only
 * ({@code tryAcquire(name, waitTimeout, leaseTime)}, {@code asLock}, ...): the conveniences are {@code default} methods
 * of {@code LockService} that call them. {@link io.github.idallocator.lock.ForwardingLockService} is a base that
 * forwards everything. The service is closed by the starter, not through the wrapper.
 */
@FunctionalInterface
public interface LockServiceDecorator {

    /**
     * Returns the service to publish in place of {@code service}: a wrapper that forwards to it, or {@code service}
     * itself.
     *
     * @param service the lock service, possibly already decorated by earlier decorators
     * @return the service to use
     */
    LockService decorate(LockService service);

    /**
     * Passes {@code service} through every decorator, in their order, the first one innermost.
     *
     * @param service the service to decorate
     * @param decorators the decorators, in the order to apply them
     * @return the decorated service; {@code service} itself without decorators
     */
    static LockService decorateAll(LockService service, Iterable<? extends LockServiceDecorator> decorators) {
        LockService decorated = service;
        for (LockServiceDecorator decorator : decorators) {
            decorated = decorator.decorate(decorated);
        }
        return decorated;
    }
}
