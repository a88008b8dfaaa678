package io.github.idallocator;

/**
 * A key at one of the allocator's names holds data that idallocator did not write (another type). It is reported and
 * never overwritten: choose another key prefix or allocator name, or delete that key.
 */
public class KeyConflictException extends IdAllocatorException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the key and both types. */
    public KeyConflictException(String message) {
        super(message);
    }
}
