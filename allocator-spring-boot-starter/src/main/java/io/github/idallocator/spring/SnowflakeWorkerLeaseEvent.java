package io.github.idallocator.spring;

import io.github.idallocator.snowflake.WorkerLeaseEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Something happened to the Snowflake generator's worker-id lease: a worker id was leased ({@code ACQUIRED}), the lease
 * could not be renewed in time so the generator refuses ids ({@code LOST}), or the worker id was given back on
 * shutdown ({@code RELEASED}). Listen with {@code @EventListener}; listeners run on the thread that renews the lease,
 * so return quickly.
 */
public class SnowflakeWorkerLeaseEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient WorkerLeaseEvent leaseEvent;

    /**
     * Creates the event.
     *
     * @param worker the worker whose lease it concerns
     * @param leaseEvent what the core reported
     */
    public SnowflakeWorkerLeaseEvent(SnowflakeWorker worker, WorkerLeaseEvent leaseEvent) {
        super(worker);
        this.leaseEvent = leaseEvent;
    }

    /** The worker whose lease it concerns. */
    public SnowflakeWorker getWorker() {
        return (SnowflakeWorker) getSource();
    }

    /** What the core reported. */
    public WorkerLeaseEvent getLeaseEvent() {
        return leaseEvent;
    }

    /** What happened. */
    public WorkerLeaseEvent.Type getType() {
        return leaseEvent.type();
    }

    /** The worker id concerned; -1 when none. */
    public long getWorkerId() {
        return leaseEvent.workerId();
    }

    @Override
    public String toString() {
        return "SnowflakeWorkerLeaseEvent[" + leaseEvent.type() + ", workerId=" + leaseEvent.workerId() + ": "
                + leaseEvent.message() + "]";
    }
}
