package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Workers run a handler on a queue's tasks: results complete them, exceptions fail them, claims stay held. */
@WithRedisServer
class TaskWorkersTest {

    private LettuceConnectionFactory factory;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private String name;

    @BeforeEach
    void connect(RedisServerProcess server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        name = "workers-" + UUID.randomUUID();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        factory.destroy();
    }

    private RedisTaskQueue queue(UnaryOperator<TaskQueueConfig.Builder> custom) {
        RedisTaskQueue queue = RedisTaskQueue.create(
                factory,
                custom.apply(TaskQueueConfig.builder(name).pollBound(Duration.ofMillis(100)))
                        .build(),
                "instance-" + closers.size());
        closers.add(queue);
        return queue;
    }

    private TaskWorkers start(TaskQueue queue, TaskHandler handler, int threads) {
        TaskWorkers workers = TaskWorkers.builder(queue, handler)
                .threads(threads)
                .shutdownTimeout(Duration.ofSeconds(5))
                .start();
        closers.add(workers);
        return workers;
    }

    @Test
    void theHandlersReturnValueIsTheTasksResult() {
        RedisTaskQueue queue = queue(b -> b);
        start(queue, context -> "hello " + context.payload(), 2);

        String id = queue.submit("world").id();

        assertThat(queue.result(id, Duration.ofSeconds(10))).isEqualTo("hello world");
    }

    @Test
    void everyTaskRunsOnceWhenNothingFails() {
        RedisTaskQueue queue = queue(b -> b);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        TaskWorkers workers = start(
                queue,
                context -> {
                    runs.incrementAndGet();
                    ran.add(context.payload());
                    return null;
                },
                4);

        for (int i = 0; i < 200; i++) {
            queue.submit("task-" + i);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> workers.completed() == 200);
        assertThat(ran).hasSize(200);
        assertThat(runs).hasValue(200);
        assertThat(queue.stats().completed()).isEqualTo(200);
    }

    @Test
    void aBusyWorkerThreadTakesItsNextTaskWithTheCompletionOfTheLast() {
        RedisTaskQueue queue = queue(b -> b);
        for (int i = 0; i < 50; i++) {
            queue.submit("task-" + i);
        }
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        TaskQueue counted = (TaskQueue) Proxy.newProxyInstance(
                TaskQueue.class.getClassLoader(), new Class<?>[] {TaskQueue.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(queue, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    boolean claimedSome = result instanceof List<?> tasks && !tasks.isEmpty();
                    String call = method.getName() + (claimedSome ? " with tasks" : "");
                    calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
                    return result;
                });
        TaskWorkers workers = start(counted, context -> null, 1);

        await().atMost(Duration.ofSeconds(20)).until(() -> workers.completed() == 50);

        assertThat(calls.get("completeAndClaim")).hasValue(50);
        assertThat(calls.get("claim with tasks"))
                .as("claims that returned tasks: only the first (all 50 were waiting; each completion took the next)")
                .hasValue(1);
        assertThat(queue.stats().completed()).isEqualTo(50);
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoff() {
        RedisTaskQueue queue = queue(b -> b.backoff(Backoff.fixed(Duration.ofMillis(200))));
        start(
                queue,
                context -> {
                    if (context.attempt() == 1) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    return "attempt " + context.attempt();
                },
                1);

        String id = queue.submit("x").id();

        assertThat(queue.result(id, Duration.ofSeconds(10))).isEqualTo("attempt 2");
    }

    @Test
    void aNonRetryableFailureKillsTheTaskAtOnce() {
        RedisTaskQueue queue = queue(b -> b);
        start(
                queue,
                context -> {
                    throw new NonRetryableTaskException("payload is not an order");
                },
                1);

        String id = queue.submit("x").id();

        assertThatThrownBy(() -> queue.result(id, Duration.ofSeconds(10)))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("payload is not an order");
        assertThat(queue.status(id).orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void aHandlerRunningLongerThanTheVisibilityTimeoutKeepsItsClaim() {
        RedisTaskQueue queue = queue(b -> b.visibilityTimeout(Duration.ofMillis(300)));
        AtomicInteger runs = new AtomicInteger();
        start(
                queue,
                context -> {
                    runs.incrementAndGet();
                    Thread.sleep(1200);
                    return context.isHeld() ? "held" : "lost";
                },
                2);

        String id = queue.submit("slow").id();

        assertThat(queue.result(id, Duration.ofSeconds(10))).isEqualTo("held");
        assertThat(runs).hasValue(1);
        assertThat(queue.stats().expired()).isZero();
    }

    @Test
    void progressIsVisibleWhileTheHandlerRuns() throws Exception {
        RedisTaskQueue queue = queue(b -> b);
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        start(
                queue,
                context -> {
                    context.progress(40, 100);
                    reported.countDown();
                    finish.await(10, TimeUnit.SECONDS);
                    return "done";
                },
                1);

        String id = queue.submit("x").id();
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();

        TaskStatus running = queue.status(id).orElseThrow();
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.progress()).isEqualTo(40);
        assertThat(running.total()).isEqualTo(100);
        finish.countDown();
        assertThat(queue.result(id, Duration.ofSeconds(10))).isEqualTo("done");
    }

    @Test
    void runningWorkersAreAnnouncedAndWithdrawnWhenClosed() {
        RedisTaskQueue queue = queue(b -> b);
        TaskWorkers workers = start(queue, context -> "", 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.stats().liveWorkers() == 1);
        workers.close();

        assertThat(queue.stats().liveWorkers()).isZero();
    }

    @Test
    void closeWaitsForRunningHandlers() throws Exception {
        RedisTaskQueue queue = queue(b -> b);
        CountDownLatch started = new CountDownLatch(1);
        TaskWorkers workers = start(
                queue,
                context -> {
                    started.countDown();
                    Thread.sleep(500);
                    return "finished";
                },
                1);
        String id = queue.submit("x").id();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        workers.close();

        assertThat(queue.status(id).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void theListenerIsToldHowLongEachTaskWaitedAndHowEachRunEnded() throws Exception {
        RedisTaskQueue queue = queue(b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ZERO)));
        String waiting = queue.submit("ok").id();
        Thread.sleep(300);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        TaskWorkers workers = TaskWorkers.builder(queue, context -> {
                    if (context.payload().equals("fails")) {
                        throw new IllegalStateException("no");
                    }
                    return "";
                })
                .threads(1)
                .listener(new TaskWorkerListener() {
                    @Override
                    public void claimed(ClaimedTask task, Duration waited) {
                        if (task.id().equals(waiting)) {
                            events.add("waited " + (waited.toMillis() >= 250));
                        }
                    }

                    @Override
                    public void finished(ClaimedTask task, TaskOutcome outcome, Duration ran) {
                        events.add(task.payload() + " " + outcome);
                    }
                })
                .start();
        closers.add(workers);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("ok COMPLETED"));

        queue.submit("fails");

        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("fails DIED"));
        assertThat(events).containsExactly("waited true", "ok COMPLETED", "fails RETRIED", "fails DIED");
    }

    @Test
    void invalidSettingsAreRejectedBeforeAnyThreadStarts() {
        RedisTaskQueue queue = queue(b -> b);

        assertThatThrownBy(() ->
                        TaskWorkers.builder(queue, context -> "").threads(0).start())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("threads 0");
        assertThatThrownBy(() -> TaskWorkers.builder(queue, context -> "")
                        .workerId("a b")
                        .start())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'a b'");
    }
}
