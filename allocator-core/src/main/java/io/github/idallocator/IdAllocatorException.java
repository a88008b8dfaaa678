package io.github.idallocator;

import java.util.Objects;

/**
 * Base type of every exception thrown by idallocator; catch it to handle all of them in one place. {@link
 * #isRetryable()} says whether the same call may succeed when tried again later (Redis unreachable, a failover in
 * progress, state being recovered) or only after something was changed (input, configuration, the lease used).
 */
public class IdAllocatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and how to fix it. */
    public IdAllocatorException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public IdAllocatorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message given to the constructor, which says what happened and how to fix it; never {@code null}. */
    @Override
    public String getMessage() {
        return Objects.requireNonNullElse(super.getMessage(), "");
    }

    /**
     * Whether trying the same call again later can help: true for a Redis that is unreachable, refusing writes for a
     * while (failover, loading, too few replicas) or recovering lost state; false when the input, the configuration or
     * the lease used must change first. This base type answers false.
     */
    public boolean isRetryable() {
        return false;
    }
}
