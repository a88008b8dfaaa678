package io.github.idallocator;

/** Base type of every exception thrown by idallocator; catch it to handle all of them in one place. */
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
}
