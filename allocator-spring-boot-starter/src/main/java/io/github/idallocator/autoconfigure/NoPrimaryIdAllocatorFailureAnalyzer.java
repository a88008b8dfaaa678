package io.github.idallocator.autoconfigure;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains an {@code IdAllocator} or {@code SequenceAllocator} injected without qualifier while several are configured
 * and none is primary: name one with {@code idallocator.primary} (or {@code idallocator.primary-sequence}), or qualify
 * the injection point.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class NoPrimaryIdAllocatorFailureAnalyzer extends AbstractFailureAnalyzer<NoUniqueBeanDefinitionException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoUniqueBeanDefinitionException cause) {
        Class<?> type = cause.getBeanType();
        if (type == IdAllocator.class) {
            String names = cause.getBeanNamesFound() == null
                    ? "several"
                    : cause.getBeanNamesFound().stream()
                            .map(beanName -> configuredName(beanName, IdAllocatorProperties.ALLOCATOR_BEAN_SUFFIX))
                            .collect(Collectors.joining(", "));
            return new FailureAnalysis(
                    "An IdAllocator was injected without a qualifier, but " + cause.getNumberOfBeansFound()
                            + " allocators are defined (" + names + ") and none of them is primary.",
                    "Set idallocator.primary to the allocator to inject where no qualifier is given, or add "
                            + "@Qualifier(\"<allocator name>\") to the injection point, or inject IdAllocators and "
                            + "look allocators up by name.",
                    cause);
        }
        if (type != null && SequenceAllocator.class.isAssignableFrom(type)) {
            String names = cause.getBeanNamesFound() == null
                    ? "several"
                    : cause.getBeanNamesFound().stream()
                            .map(beanName -> configuredName(beanName, IdAllocatorProperties.SEQUENCE_BEAN_SUFFIX))
                            .collect(Collectors.joining(", "));
            return new FailureAnalysis(
                    "A " + type.getSimpleName() + " was injected without a qualifier, but "
                            + cause.getNumberOfBeansFound() + " sequences are defined (" + names
                            + ") and none of them is primary.",
                    "Set idallocator.primary-sequence to the sequence to inject where no qualifier is given, or add "
                            + "@Qualifier(\"<sequence name>\") to the injection point, or inject SequenceAllocators "
                            + "and look sequences up by name.",
                    cause);
        }
        return null;
    }

    private static String configuredName(String beanName, String suffix) {
        return beanName.endsWith(suffix) && beanName.length() > suffix.length()
                ? beanName.substring(0, beanName.length() - suffix.length())
                : beanName;
    }
}
