package io.github.idallocator;

/** No free id (or no free run of the requested length) is left, even after expired leases were reclaimed. */
public class IdsExhaustedException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public IdsExhaustedException(String message) {
        super(message);
    }
}
