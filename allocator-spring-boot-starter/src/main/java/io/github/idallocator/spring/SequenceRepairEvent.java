package io.github.idallocator.spring;

import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.sequence.SequenceRepair;
import org.springframework.context.ApplicationEvent;

/**
 * A sequence found its counter in Redis below the ids this instance had already seen (Redis lost data) or below the
 * configured floor, and moved it up: see {@link SequenceRepair}. No id was handed out twice by this instance. Listen
 * with {@code @EventListener}, for example to alert: a repair with {@link SequenceRepair#dataLoss()} means Redis lost
 * writes.
 */
public class SequenceRepairEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient SequenceRepair repair;

    /**
     * Creates the event.
     *
     * @param sequence the sequence that was repaired
     * @param repair what the core reported
     */
    public SequenceRepairEvent(SequenceAllocator sequence, SequenceRepair repair) {
        super(sequence);
        this.repair = repair;
    }

    /** The sequence that was repaired. */
    public SequenceAllocator getSequence() {
        return (SequenceAllocator) getSource();
    }

    /** What the core reported. */
    public SequenceRepair getRepair() {
        return repair;
    }

    @Override
    public String toString() {
        return "SequenceRepairEvent[" + repair + "]";
    }
}
