package io.github.idallocator.tasks;

/**
 * Where {@link TaskCaller#call} runs a task: in the caller's thread (local, with the caller's handler) or on the queue's
 * workers (remote: submitted, then its result awaited).
 */
public enum TaskExecutionPolicy {
    /** Run locally only. */
    LOCAL,
    /** Run remotely only. */
    REMOTE,
    /**
     * Run locally; when the local run throws, run remotely. The task may then have run twice (once partly): use it for
     * tasks that tolerate it.
     */
    LOCAL_FIRST,
    /**
     * Run remotely; when the task died or its result did not arrive in time, run it locally. After a timeout the remote
     * run may still finish, so the task may run twice: use it for tasks that tolerate it.
     */
    REMOTE_FIRST,
    /** Run remotely when a live worker of the queue exists (its presence announced in Redis), else locally. */
    AUTO
}
