package io.github.idallocator.spring.actuate.endpoint;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The task queues as the {@code idallocator} endpoint shows them. The endpoint knows the queues through this interface
 * only, so that it works without the optional task module; the starter provides {@link TaskQueuesDescriptors} when the
 * module is present.
 */
public interface TaskQueueDescriptors {

    /** Every queue by name with its counts (one Redis read each), without dead tasks. */
    Map<String, TaskQueueDescriptor> all();

    /** The queue {@code name} with its counts and first dead tasks; {@code null} when there is no such queue. */
    @Nullable
    TaskQueueDescriptor one(String name);

    /** No task queues. */
    static TaskQueueDescriptors none() {
        return new TaskQueueDescriptors() {
            @Override
            public Map<String, TaskQueueDescriptor> all() {
                return Map.of();
            }

            @Override
            public @Nullable TaskQueueDescriptor one(String name) {
                return null;
            }
        };
    }
}
