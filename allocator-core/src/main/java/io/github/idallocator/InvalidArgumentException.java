package io.github.idallocator;

/** An argument or configuration value was rejected before Redis was touched; the message names the value. */
public class InvalidArgumentException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the rejected value and what would be accepted. */
    public InvalidArgumentException(String message) {
        super(message);
    }
}
