package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The execution policies of {@link TaskCaller}: where a task runs, and what happens when that fails. */
@WithRedisServer
class TaskCallerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The local handler: says it ran here, in which thread. */
    private static final TaskHandler LOCAL = context ->
            "local " + context.payload() + " in " + Thread.currentThread().getName();

    /** The workers' handler. */
    private static final TaskHandler REMOTE = context -> "remote " + context.payload();

    private LettuceConnectionFactory factory;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private RedisTaskQueue queue;

    @BeforeEach
    void connect(RedisServerProcess server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        queue = RedisTaskQueue.create(
                factory,
                TaskQueueConfig.builder("caller-" + UUID.randomUUID())
                        .pollBound(Duration.ofMillis(100))
                        .maxAttempts(1)
                        .build(),
                "caller");
        closers.add(queue);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        factory.destroy();
    }

    private void startWorkers(TaskHandler handler) {
        RedisTaskQueue workerQueue = RedisTaskQueue.create(factory, queue.config(), "worker");
        closers.add(workerQueue);
        TaskWorkers workers =
                TaskWorkers.builder(workerQueue, handler).threads(2).start();
        closers.add(workers);
        await().atMost(WAIT).until(() -> queue.stats().liveWorkers() == 1);
    }

    @Test
    void localRunsTheHandlerInTheCallersThreadAndWritesNothing() {
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        String result = caller.call("x", SubmitOptions.defaults().taskId("t-1"), TaskExecutionPolicy.LOCAL, WAIT);

        assertThat(result).isEqualTo("local x in " + Thread.currentThread().getName());
        assertThat(queue.status("t-1")).isEmpty();
        assertThat(queue.stats().submitted()).isZero();
    }

    @Test
    void localWithoutALocalHandlerIsRejected() {
        TaskCaller caller = new TaskCaller(queue, null);

        assertThatThrownBy(() -> caller.call("x", TaskExecutionPolicy.LOCAL, WAIT))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no local handler");
    }

    @Test
    void aLocalFailureIsATaskFailedExceptionWithItsCause() {
        TaskCaller caller = new TaskCaller(queue, context -> {
            throw new IllegalStateException("broken");
        });

        assertThatThrownBy(() -> caller.call("x", TaskExecutionPolicy.LOCAL, WAIT))
                .isInstanceOf(TaskFailedException.class)
                .hasRootCauseMessage("broken");
    }

    @Test
    void remoteSubmitsTheTaskAndReturnsTheWorkersResult() {
        startWorkers(REMOTE);
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        String result = caller.call("x", SubmitOptions.defaults().taskId("t-2"), TaskExecutionPolicy.REMOTE, WAIT);

        assertThat(result).isEqualTo("remote x");
        assertThat(queue.status("t-2").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void remoteWithoutWorkersTimesOut() {
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThatThrownBy(() -> caller.call("x", TaskExecutionPolicy.REMOTE, Duration.ofMillis(300)))
                .isInstanceOf(TaskTimeoutException.class)
                .satisfies(e ->
                        assertThat(((TaskTimeoutException) e).isRetryable()).isTrue());
    }

    @Test
    void localFirstRunsRemotelyWhenTheLocalRunFails() {
        startWorkers(REMOTE);
        TaskCaller caller = new TaskCaller(queue, context -> {
            throw new IllegalStateException("no local resources");
        });

        assertThat(caller.call("x", TaskExecutionPolicy.LOCAL_FIRST, WAIT)).isEqualTo("remote x");
    }

    @Test
    void localFirstRunsLocallyWhenTheLocalRunSucceeds() {
        startWorkers(REMOTE);
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThat(caller.call("x", TaskExecutionPolicy.LOCAL_FIRST, WAIT)).startsWith("local x");
        assertThat(queue.stats().submitted()).isZero();
    }

    @Test
    void remoteFirstRunsLocallyWhenTheRemoteResultDoesNotArriveInTime() {
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThat(caller.call("x", TaskExecutionPolicy.REMOTE_FIRST, Duration.ofMillis(300)))
                .startsWith("local x");
    }

    @Test
    void remoteFirstRunsLocallyWhenTheRemoteTaskDied() {
        startWorkers(context -> {
            throw new NonRetryableTaskException("remote side cannot do it");
        });
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThat(caller.call("x", TaskExecutionPolicy.REMOTE_FIRST, WAIT)).startsWith("local x");
    }

    @Test
    void autoRunsRemotelyWhenALiveWorkerExists() {
        startWorkers(REMOTE);
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThat(caller.call("x", TaskExecutionPolicy.AUTO, WAIT)).isEqualTo("remote x");
    }

    @Test
    void autoRunsLocallyWhenNoWorkerIsAlive() {
        TaskCaller caller = new TaskCaller(queue, LOCAL);

        assertThat(caller.call("x", TaskExecutionPolicy.AUTO, WAIT)).startsWith("local x");
        assertThat(queue.stats().submitted()).isZero();
    }
}
