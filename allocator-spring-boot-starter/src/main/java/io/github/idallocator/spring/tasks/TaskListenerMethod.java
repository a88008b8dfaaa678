package io.github.idallocator.spring.tasks;

import io.github.idallocator.tasks.TaskCodec;
import io.github.idallocator.tasks.TaskContext;
import io.github.idallocator.tasks.TaskHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * A {@link TaskListener} method of a bean as a {@link TaskHandler}: decodes the payload into the method's parameter,
 * calls the method and encodes its return value as the result.
 */
final class TaskListenerMethod implements TaskHandler {

    private final Object bean;
    private final Method method;
    private final String queue;
    private final int threads;
    private final boolean takesPayload;
    private final boolean takesContext;
    private final @Nullable TaskCodec<Object> payloadCodec;
    private final @Nullable TaskCodec<Object> resultCodec;

    private TaskListenerMethod(
            Object bean,
            Method method,
            String queue,
            int threads,
            boolean takesPayload,
            boolean takesContext,
            @Nullable TaskCodec<Object> payloadCodec,
            @Nullable TaskCodec<Object> resultCodec) {
        this.bean = bean;
        this.method = method;
        this.queue = queue;
        this.threads = threads;
        this.takesPayload = takesPayload;
        this.takesContext = takesContext;
        this.payloadCodec = payloadCodec;
        this.resultCodec = resultCodec;
    }

    /**
     * The handler of {@code method} of {@code bean}.
     *
     * @throws IllegalStateException when the method's parameters or types do not fit (see {@link TaskListener})
     */
    @SuppressWarnings("unchecked")
    static TaskListenerMethod of(Object bean, Method method, TaskListener annotation, TaskCodecs codecs) {
        String where = describe(method);
        Class<?>[] parameters = method.getParameterTypes();
        boolean lastIsContext = parameters.length > 0 && parameters[parameters.length - 1] == TaskContext.class;
        int payloads = parameters.length - (lastIsContext ? 1 : 0);
        if (parameters.length == 0
                || parameters.length > 2
                || payloads > 1
                || (payloads == 1 && parameters[0] == TaskContext.class)) {
            throw new IllegalStateException(where + " cannot be a task handler: it must take (String payload), "
                    + "(TaskContext context), (T payload) or (T payload, TaskContext context)");
        }
        if (annotation.threads() < 0) {
            throw new IllegalStateException(where + " has threads " + annotation.threads()
                    + ": use 1 to 1000, or 0 for idallocator.tasks." + annotation.value() + ".workers.threads");
        }
        TaskCodec<Object> payloadCodec = null;
        if (payloads == 1) {
            payloadCodec = (TaskCodec<Object>) codec(codecs, parameters[0], where, "payload parameter");
        }
        Class<?> returned = method.getReturnType();
        TaskCodec<Object> resultCodec = null;
        if (returned != void.class && returned != Void.class) {
            resultCodec = (TaskCodec<Object>) codec(codecs, returned, where, "return type");
        }
        ReflectionUtils.makeAccessible(method);
        return new TaskListenerMethod(
                bean,
                method,
                annotation.value(),
                annotation.threads(),
                payloads == 1,
                lastIsContext,
                payloadCodec,
                resultCodec);
    }

    private static TaskCodec<?> codec(TaskCodecs codecs, Class<?> type, String where, String what) {
        Class<?> boxed = type.isPrimitive() ? box(type) : type;
        if (!codecs.supports(boxed)) {
            throw new IllegalStateException(where + " cannot be a task handler: its " + what + " "
                    + type.getName() + " needs a JSON mapper (" + codecs + " handles Strings only); use String, or add "
                    + "Jackson (spring-boot-starter-json)");
        }
        return codecs.codec(boxed);
    }

    private static Class<?> box(Class<?> primitive) {
        return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }

    /** The queue the method handles. */
    String queue() {
        return queue;
    }

    /** The threads the annotation asks for; 0 for the queue's setting. */
    int threads() {
        return threads;
    }

    /** The method, for messages: {@code com.example.Mailer.send(Email)}. */
    String describe() {
        return describe(method);
    }

    static String describe(Method method) {
        StringBuilder parameters = new StringBuilder();
        for (Class<?> type : method.getParameterTypes()) {
            parameters.append(parameters.isEmpty() ? "" : ", ").append(type.getSimpleName());
        }
        return "@TaskListener method " + method.getDeclaringClass().getName() + "." + method.getName() + "("
                + parameters + ")";
    }

    @Override
    public @Nullable String handle(TaskContext context) throws Exception {
        Object[] arguments = new Object[(takesPayload ? 1 : 0) + (takesContext ? 1 : 0)];
        if (takesPayload && payloadCodec != null) {
            arguments[0] = payloadCodec.decode(context.payload());
        }
        if (takesContext) {
            arguments[arguments.length - 1] = context;
        }
        Object result;
        try {
            result = method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
        return result == null || resultCodec == null ? null : resultCodec.encode(result);
    }

    @Override
    public String toString() {
        return describe();
    }
}
