package io.github.idallocator;

/** A creator-only operation was called on an instance that does not hold the creator lease. Nothing was changed. */
public class NotCreatorException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public NotCreatorException(String message) {
        super(message);
    }
}
