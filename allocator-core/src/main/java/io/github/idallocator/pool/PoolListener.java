package io.github.idallocator.pool;

/** Receives the {@link PoolEvent}s of one pool instance; must not block. */
@FunctionalInterface
public interface PoolListener {

    /** Called for each event, on the thread that caused it. */
    void onEvent(PoolEvent event);
}
