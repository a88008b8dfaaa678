package io.github.idallocator.spring.tasks;

import io.github.idallocator.tasks.TaskHandler;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds the {@link TaskListener} methods of the application's beans as they are created and keeps them by queue: the
 * {@link TaskQueueLifecycle} starts their workers, {@link TaskQueues#call} runs them locally. A method whose queue does
 * not exist, whose parameters do not fit, or whose queue already has a listener fails the creation of its bean, so
 * start-up fails with a message naming the method.
 */
public final class TaskListenerRegistry implements BeanPostProcessor, BeanFactoryAware {

    private final Map<String, TaskListenerMethod> byQueue = new ConcurrentHashMap<>();
    private @Nullable BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> type = AopUtils.getTargetClass(bean);
        if (type.getName().startsWith("org.springframework.")) {
            return bean;
        }
        Map<Method, TaskListener> methods =
                MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<TaskListener>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, TaskListener.class));
        for (Map.Entry<Method, TaskListener> found : methods.entrySet()) {
            register(bean, found.getKey(), found.getValue());
        }
        return bean;
    }

    private void register(Object bean, Method method, TaskListener annotation) {
        BeanFactory factory = Objects.requireNonNull(beanFactory, "beanFactory");
        String queue = annotation.value();
        String where = TaskListenerMethod.describe(AopUtils.selectInvocableMethod(method, bean.getClass()));
        TaskQueues queues = factory.getBean(TaskQueues.class);
        if (queues.find(queue).isEmpty()) {
            throw new IllegalStateException(where + " handles task queue '" + queue + "', which is not configured: add "
                    + "idallocator.tasks." + queue + ".* (for example idallocator.tasks." + queue
                    + ".max-attempts=5) or a TaskQueue bean named '" + queue + "'; the task queues are "
                    + queues.names());
        }
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        TaskListenerMethod listener = TaskListenerMethod.of(bean, invocable, annotation, queues.codecs());
        TaskListenerMethod previous = byQueue.putIfAbsent(queue, listener);
        if (previous != null) {
            throw new IllegalStateException(where + " handles task queue '" + queue + "', which " + previous.describe()
                    + " handles already: give each queue one @TaskListener method");
        }
    }

    /** The handler of {@code queue}'s tasks in this application, if there is one. */
    public @Nullable TaskHandler handler(String queue) {
        return byQueue.get(queue);
    }

    /** The listener methods found so far. */
    List<TaskListenerMethod> listeners() {
        return List.copyOf(byQueue.values());
    }
}
