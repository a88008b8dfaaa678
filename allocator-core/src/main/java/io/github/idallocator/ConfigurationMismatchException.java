package io.github.idallocator;

/** The allocator already stored in Redis was created with another configuration than this instance's. */
public class ConfigurationMismatchException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the stored and the configured values. */
    public ConfigurationMismatchException(String message) {
        super(message);
    }
}
