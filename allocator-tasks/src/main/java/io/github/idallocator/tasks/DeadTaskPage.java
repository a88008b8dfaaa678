package io.github.idallocator.tasks;

import java.util.List;

/**
 * One page of the dead tasks, most recently dead first.
 *
 * @param tasks the tasks of this page
 * @param total how many dead tasks the queue holds
 * @param nextOffset the offset of the next page, or -1 after the last
 */
public record DeadTaskPage(List<DeadTask> tasks, long total, long nextOffset) {

    /** Copies the list. */
    public DeadTaskPage {
        tasks = List.copyOf(tasks);
    }
}
