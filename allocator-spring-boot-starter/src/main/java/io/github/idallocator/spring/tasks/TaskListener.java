package io.github.idallocator.spring.tasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean the handler of a task queue: while the application runs, workers claim the queue's
 * tasks and call the method for each, on threads of their own. The queue must be configured ({@code
 * idallocator.tasks.<name>.*}, or a {@code TaskQueue} bean of that name); otherwise start-up fails naming the method.
 * One method per queue and application.
 *
 * <p>The method takes one of:
 *
 * <ul>
 *   <li>{@code (String payload)}: the payload as stored;
 *   <li>{@code (TaskContext context)}: the task, for its id, attempt, fencing token, progress and extension;
 *   <li>{@code (T payload)}: the payload decoded by the application's JSON mapper into the parameter's type;
 *   <li>{@code (T payload, TaskContext context)}: both.
 * </ul>
 *
 * Its return value is the task's result: a {@code String} as it is, any other value encoded as JSON, {@code void} and
 * {@code null} as an empty result. An exception fails the attempt, which is retried after the queue's backoff while
 * attempts are left; a {@link io.github.idallocator.tasks.NonRetryableTaskException} kills the task at once. The same
 * method runs the tasks that {@link TaskQueues#call} runs locally ({@code LOCAL}, {@code AUTO} without a live worker).
 *
 * <p>Delivery is at least once: a task whose worker died or paused past the visibility timeout runs again elsewhere,
 * so a method with side effects checks {@link io.github.idallocator.tasks.TaskContext#isHeld()} or passes its fencing
 * token on. Methods of lazy beans are found only once the bean is created.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskListener {

    /** The queue's name, as under {@code idallocator.tasks}. */
    String value();

    /**
     * How many tasks this instance runs at once; 0 (the default) takes {@code idallocator.tasks.<name>.workers.threads}.
     */
    int threads() default 0;
}
