package io.github.idallocator;

/**
 * The caller does not hold the lease it tried to use: another instance owns it, it was handed out again under a newer
 * fencing token, or it expired. Nothing was changed in Redis.
 */
public class NotOwnerException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public NotOwnerException(String message) {
        super(message);
    }
}
