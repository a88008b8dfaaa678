package io.github.idallocator.spring;

import io.github.idallocator.range.ForwardingIdAllocator;
import io.github.idallocator.range.IdAllocator;

/**
 * Wraps each allocator configured under {@code idallocator.allocators} before it becomes a bean, for example to add
 * metrics (the starter's own Micrometer support is one). Define beans of this type; they are applied in their {@link
 * org.springframework.core.annotation.Order order}, the first one innermost. {@link ForwardingIdAllocator} is a
 * convenient base for the wrapper.
 */
@FunctionalInterface
public interface IdAllocatorDecorator {

    /**
     * Returns the allocator to publish in place of {@code allocator}: a wrapper that forwards to it, or {@code
     * allocator} itself.
     *
     * @param allocator the allocator, possibly already decorated by earlier decorators
     * @return the allocator to use
     */
    IdAllocator decorate(IdAllocator allocator);

    /**
     * Passes {@code allocator} through every decorator, in their order, the first one innermost.
     *
     * @param allocator the allocator to decorate
     * @param decorators the decorators, in the order to apply them
     * @return the decorated allocator; {@code allocator} itself without decorators
     */
    static IdAllocator decorateAll(IdAllocator allocator, Iterable<? extends IdAllocatorDecorator> decorators) {
        IdAllocator decorated = allocator;
        for (IdAllocatorDecorator decorator : decorators) {
            decorated = decorator.decorate(decorated);
        }
        return decorated;
    }
}
