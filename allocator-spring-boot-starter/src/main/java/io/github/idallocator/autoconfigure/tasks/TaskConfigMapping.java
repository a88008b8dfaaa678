package io.github.idallocator.autoconfigure.tasks;

import static io.github.idallocator.autoconfigure.IdAllocatorProperties.taskQueueProperty;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.Durations;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyException;
import io.github.idallocator.spring.tasks.TaskQueueSettings;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskWorkers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns {@code idallocator.tasks.<name>.*} into the task library's {@link TaskQueueConfig} and the starter's {@link
 * TaskQueueSettings}, a value the library rejects into an {@link InvalidIdAllocatorPropertyException} naming the
 * property ({@code maxAttempts} of queue {@code emails} is {@code idallocator.tasks.emails.max-attempts}).
 */
final class TaskConfigMapping {

    private static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofHours(1);
    private static final Duration MAX_WAITING = Duration.ofDays(365);

    private TaskConfigMapping() {}

    /** Every queue's configuration, checked, by name in the order written. */
    static Map<String, TaskQueueConfig> configs(IdAllocatorProperties properties) {
        Map<String, TaskQueueConfig> configs = new LinkedHashMap<>();
        properties.tasks().keySet().forEach(name -> configs.put(name, config(properties, name)));
        return configs;
    }

    /** Every queue's workers and health settings, checked, by name. */
    static Map<String, TaskQueueSettings> settings(IdAllocatorProperties properties) {
        Map<String, TaskQueueSettings> settings = new LinkedHashMap<>();
        properties.tasks().keySet().forEach(name -> settings.put(name, settings(properties, name)));
        return settings;
    }

    /** The configuration of the queue {@code idallocator.tasks.<name>}, which must be configured. */
    static TaskQueueConfig config(IdAllocatorProperties properties, String name) {
        IdAllocatorProperties.TaskQueue queue = queue(properties, name);
        IdAllocatorProperties.TaskBackoff backoff = queue.backoff();
        Backoff checkedBackoff = CoreConfigMapping.checked(
                () -> new Backoff(backoff.initial(), backoff.max(), backoff.multiplier(), backoff.jitter()),
                setting -> taskQueueProperty(name, "backoff." + setting));
        String keyPrefix = queue.keyPrefix();
        return CoreConfigMapping.checked(
                () -> TaskQueueConfig.builder(name)
                        .keyPrefix(keyPrefix != null ? keyPrefix : properties.keyPrefix())
                        .visibilityTimeout(queue.visibilityTimeout())
                        .maxAttempts(queue.maxAttempts())
                        .backoff(checkedBackoff)
                        .retention(queue.retention())
                        .deadRetention(queue.deadRetention())
                        .idleExpiry(queue.idleExpiry())
                        .pollBound(queue.pollBound())
                        .build(),
                setting -> switch (setting) {
                    case "name" -> taskQueueProperty(name, "");
                    case "key-prefix" -> keyPrefix != null
                            ? taskQueueProperty(name, "key-prefix")
                            : IdAllocatorProperties.PREFIX + ".key-prefix";
                    default -> taskQueueProperty(name, setting);
                });
    }

    /** The workers and health settings of the queue {@code idallocator.tasks.<name>}, checked. */
    static TaskQueueSettings settings(IdAllocatorProperties properties, String name) {
        IdAllocatorProperties.TaskQueue queue = queue(properties, name);
        int threads = queue.workers().threads();
        if (threads < 1 || threads > TaskWorkers.MAX_THREADS) {
            throw new InvalidIdAllocatorPropertyException(
                    taskQueueProperty(name, "workers.threads"),
                    threads,
                    "it must be 1 to " + TaskWorkers.MAX_THREADS,
                    "Set it to how many tasks of the queue this instance runs at once, such as 8 (the default).");
        }
        Duration shutdownTimeout = queue.workers().shutdownTimeout();
        if (shutdownTimeout.isNegative() || shutdownTimeout.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    taskQueueProperty(name, "workers.shutdown-timeout"),
                    Durations.format(shutdownTimeout),
                    "it must be 0 to 1h",
                    "Set it to a duration such as 30s (the default).");
        }
        Duration maxWaiting = queue.health().maxWaiting();
        if (maxWaiting.compareTo(Duration.ofMillis(1)) < 0 || maxWaiting.compareTo(MAX_WAITING) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    taskQueueProperty(name, "health.max-waiting"),
                    Durations.format(maxWaiting),
                    "it must be 1ms to 365d",
                    "Set it to a duration such as 5m (the default): longer than a task waits while workers restart.");
        }
        return new TaskQueueSettings(threads, shutdownTimeout, maxWaiting);
    }

    private static IdAllocatorProperties.TaskQueue queue(IdAllocatorProperties properties, String name) {
        return Objects.requireNonNull(
                properties.tasks().get(name), () -> taskQueueProperty(name, "") + " is not configured");
    }
}
