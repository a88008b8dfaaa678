package io.github.idallocator.tasks;

/**
 * What a submit did.
 *
 * @param id the task's id
 * @param created true when this call added the task; false when the queue already had a task of that id (a retried
 *     submit), which was left as it was
 * @param state the task's state after the call
 */
public record Submission(String id, boolean created, TaskState state) {}
