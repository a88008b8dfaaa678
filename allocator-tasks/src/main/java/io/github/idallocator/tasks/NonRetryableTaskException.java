package io.github.idallocator.tasks;

/**
 * Thrown by a {@link TaskHandler} for a failure that no retry can mend (invalid payload): the task dies at once instead
 * of being retried.
 */
public class NonRetryableTaskException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public NonRetryableTaskException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public NonRetryableTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
