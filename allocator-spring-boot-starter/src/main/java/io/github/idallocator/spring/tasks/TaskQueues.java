package io.github.idallocator.spring.tasks;

import io.github.idallocator.spring.NamedRegistry;
import io.github.idallocator.tasks.Submission;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskCaller;
import io.github.idallocator.tasks.TaskExecutionPolicy;
import io.github.idallocator.tasks.TaskFailedException;
import io.github.idallocator.tasks.TaskNotFoundException;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every {@link TaskQueue} bean of the application, by queue name, with typed submits and results: a payload that is
 * not a {@code String} is sent as JSON written by the application's mapper, a result is read back into the type asked
 * for ({@link TaskCodecs}). Inject it to send tasks to a queue named at run time:
 *
 * <pre>{@code
 * Submission sent = tasks.submit("emails", new Email("ann@example.com", "Hello"));
 * Receipt receipt = tasks.result("emails", sent.id(), Receipt.class, Duration.ofSeconds(30));
 * }</pre>
 *
 * Or run a task where the policy says and wait for its result ({@link #call}): locally with this application's
 * {@link TaskListener} method of the queue, or remotely on the queue's workers.
 */
public final class TaskQueues extends NamedRegistry<TaskQueue> {

    private final Map<String, TaskQueueSettings> settings;
    private final TaskCodecs codecs;
    private final @Nullable TaskListenerRegistry listeners;

    /**
     * Creates the facade.
     *
     * @param queues the queues; their names must differ
     * @param settings the workers and health settings of the queues by name; a queue without an entry gets {@link
     *     TaskQueueSettings#DEFAULTS}
     * @param codecs the codecs of payloads and results
     * @param listeners the application's {@link TaskListener} methods, for local runs; {@code null} when there are none
     * @throws IllegalStateException if two queues have the same name
     */
    public TaskQueues(
            Collection<? extends TaskQueue> queues,
            Map<String, TaskQueueSettings> settings,
            TaskCodecs codecs,
            @Nullable TaskListenerRegistry listeners) {
        super(queues, TaskQueue::name, "task queue");
        this.settings = Map.copyOf(settings);
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.listeners = listeners;
    }

    /** The workers and health settings of the queue {@code name}. */
    public TaskQueueSettings settings(String name) {
        return settings.getOrDefault(name, TaskQueueSettings.DEFAULTS);
    }

    /** The codecs of payloads and results. */
    public TaskCodecs codecs() {
        return codecs;
    }

    /**
     * Adds a task with a random id, no delay and priority 0.
     *
     * @param queue the queue's name
     * @param payload a {@code String}, sent as it is, or a value the JSON mapper writes
     * @throws java.util.NoSuchElementException if there is no queue of that name
     */
    public Submission submit(String queue, Object payload) {
        return submit(queue, payload, SubmitOptions.defaults());
    }

    /**
     * Adds a task; with a task id in {@code options} the submit is idempotent ({@link TaskQueue#submit}).
     *
     * @param queue the queue's name
     * @param payload a {@code String}, sent as it is, or a value the JSON mapper writes
     * @param options the task's id, delay and priority
     * @throws java.util.NoSuchElementException if there is no queue of that name
     */
    public Submission submit(String queue, Object payload, SubmitOptions options) {
        return get(queue).submit(encode(payload), options);
    }

    /**
     * Waits up to {@code timeout} for the result of task {@code taskId} and reads it as a {@code type}.
     *
     * @param type {@code String} for the result as stored, else the type the JSON mapper reads it into
     * @throws TaskFailedException when the task died
     * @throws TaskTimeoutException when it did not finish in time (retryable)
     * @throws TaskNotFoundException when the queue has no such task
     * @throws java.util.NoSuchElementException if there is no queue of that name
     */
    public <R> R result(String queue, String taskId, Class<R> type, Duration timeout) {
        return decode(get(queue).result(taskId, timeout), type);
    }

    /**
     * Runs a task with {@code payload} as {@code policy} says and reads its result as a {@code type}: locally with the
     * queue's {@link TaskListener} method of this application, or remotely on the queue's workers ({@link TaskCaller}).
     *
     * @throws TaskFailedException when the task failed (remotely: it died; locally: the method threw)
     * @throws TaskTimeoutException when a remote result did not arrive in time (retryable)
     * @throws io.github.idallocator.InvalidArgumentException when the policy needs a local run and this application has
     *     no listener of the queue
     */
    public <R> R call(String queue, Object payload, Class<R> type, TaskExecutionPolicy policy, Duration timeout) {
        return decode(caller(queue).call(encode(payload), policy, timeout), type);
    }

    /** The caller of the queue {@code queue}, with this application's listener of it (if any) for local runs. */
    public TaskCaller caller(String queue) {
        return new TaskCaller(get(queue), listeners == null ? null : listeners.handler(queue));
    }

    private String encode(Object payload) {
        Objects.requireNonNull(payload, "payload");
        return payload instanceof String text ? text : encodeAs(payload, payload.getClass());
    }

    private <T> String encodeAs(Object payload, Class<T> type) {
        return codecs.codec(type).encode(type.cast(payload));
    }

    private <R> R decode(String stored, Class<R> type) {
        return codecs.codec(type).decode(stored);
    }
}
