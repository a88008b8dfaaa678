package io.github.idallocator.tasks;

import java.util.List;

/**
 * What {@link TaskQueue#completeAndClaim} did.
 *
 * @param completed true when the task was completed (by this claim); false when the completion was refused, as {@link
 *     TaskQueue#complete} refuses it
 * @param claimed the tasks claimed after the completion (whether or not it was accepted); empty when none was claimable
 */
public record CompletedAndClaimed(boolean completed, List<ClaimedTask> claimed) {

    /** Copies {@code claimed}. */
    public CompletedAndClaimed {
        claimed = List.copyOf(claimed);
    }
}
