package io.github.idallocator.spring;

import io.github.idallocator.pool.ResourcePool;

/**
 * Wraps each pool configured under {@code idallocator.pools} before it becomes a bean, for example to add metrics (the
 * starter's own Micrometer support is one). Define beans of this type; they are applied in their {@link
 * org.springframework.core.annotation.Order order}, the first one innermost. Extend {@link
 * io.github.idallocator.pool.ForwardingResourcePool}: it forwards everything, and the leases acquired through it renew
 * and release through it. The pool is closed by the starter, not through the wrapper.
 */
@FunctionalInterface
public interface ResourcePoolDecorator {

    /**
     * Returns the pool to publish in place of {@code pool}: a wrapper that forwards to it, or {@code pool} itself.
     *
     * @param pool the pool, possibly already decorated by earlier decorators
     * @return the pool to use
     */
    ResourcePool decorate(ResourcePool pool);

    /**
     * Passes {@code pool} through every decorator, in their order, the first one innermost.
     *
     * @param pool the pool to decorate
     * @param decorators the decorators, in the order to apply them
     * @return the decorated pool; {@code pool} itself without decorators
     */
    static ResourcePool decorateAll(ResourcePool pool, Iterable<? extends ResourcePoolDecorator> decorators) {
        ResourcePool decorated = pool;
        for (ResourcePoolDecorator decorator : decorators) {
            decorated = decorator.decorate(decorated);
        }
        return decorated;
    }
}
