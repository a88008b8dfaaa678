package io.github.idallocator.autoconfigure;

import io.github.idallocator.range.IdAllocator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains an {@code IdAllocator} injected without qualifier while several allocators are configured and none is
 * primary: name one with {@code idallocator.primary}, or qualify the injection point.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class NoPrimaryIdAllocatorFailureAnalyzer extends AbstractFailureAnalyzer<NoUniqueBeanDefinitionException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoUniqueBeanDefinitionException cause) {
        if (cause.getBeanType() != IdAllocator.class) {
            return null;
        }
        String names = cause.getBeanNamesFound() == null ? "several" : String.join(", ", cause.getBeanNamesFound());
        return new FailureAnalysis(
                "An IdAllocator was injected without a qualifier, but " + cause.getNumberOfBeansFound()
                        + " allocators are defined (" + names + ") and none of them is primary.",
                "Set idallocator.primary to the allocator to inject where no qualifier is given, or add "
                        + "@Qualifier(\"<allocator name>\") to the injection point, or inject IdAllocators and look "
                        + "allocators up by name.",
                cause);
    }
}
