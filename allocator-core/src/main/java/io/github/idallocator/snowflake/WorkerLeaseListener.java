package io.github.idallocator.snowflake;

/** Told about worker-lease events. Called on the renewing thread: return quickly. */
@FunctionalInterface
public interface WorkerLeaseListener {

    /** Handles one event. */
    void onEvent(WorkerLeaseEvent event);
}
