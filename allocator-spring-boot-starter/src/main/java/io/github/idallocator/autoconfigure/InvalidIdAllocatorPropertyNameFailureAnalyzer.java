package io.github.idallocator.autoconfigure;

import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyNameException.WrongName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports an {@link InvalidIdAllocatorPropertyNameException}: each property name as written, where it was written, what
 * is wrong with it and what to write instead.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class InvalidIdAllocatorPropertyNameFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidIdAllocatorPropertyNameException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidIdAllocatorPropertyNameException cause) {
        StringBuilder description = new StringBuilder(
                "Properties under idallocator that would be ignored or bound " + "to another name than written:\n");
        StringBuilder action = new StringBuilder();
        for (WrongName name : cause.names()) {
            description.append("\n    Property: ").append(name.property());
            if (name.origin() != null) {
                description.append("\n    Origin: ").append(name.origin());
            }
            description.append("\n    Reason: ").append(name.problem()).append('\n');
            action.append(action.isEmpty() ? "" : "\n").append(name.fix());
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
