package io.github.idallocator.lock;

/** Receives the {@link LockEvent}s of a {@link LockService}; called on the thread where the event happened. */
@FunctionalInterface
public interface LockListener {

    /** Called once per event; must not block. */
    void onEvent(LockEvent event);
}
