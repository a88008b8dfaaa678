package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queue on a Redis that persists every write (append-only file, fsync always) survives the server's crash: tasks,
 * claims and results come back with it, workers and result readers carry on once it answers again.
 */
class TaskRedisRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServerProcess server;
    private final List<AutoCloseable> closers = new ArrayList<>();

    @BeforeEach
    void start() {
        server = RedisServerProcess.builder().appendOnly().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        server.close();
    }

    private RedisTaskQueue queue(String instance) {
        RedisClient.Factory factory = RedisClient.LETTUCE.connect(server);
        closers.add(factory);
        RedisTaskQueue queue = RedisTaskQueue.create(
                factory.connectionFactory(),
                TaskQueueConfig.builder("restart")
                        .visibilityTimeout(Duration.ofSeconds(15))
                        .pollBound(Duration.ofMillis(100))
                        .build(),
                instance);
        closers.add(queue);
        return queue;
    }

    @Test
    void tasksSubmittedBeforeACrashRunAfterTheRestart() {
        RedisTaskQueue producer = queue("producer");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(producer.submit("task-" + i).id());
        }

        server.kill();
        server.restart();
        RedisTaskQueue worker = queue("worker");
        closers.add(TaskWorkers.builder(worker, context -> "ran " + context.payload())
                .threads(2)
                .start());

        for (int i = 0; i < ids.size(); i++) {
            assertThat(producer.result(ids.get(i), WAIT)).isEqualTo("ran task-" + i);
        }
    }

    @Test
    void aResultReaderWaitsThroughACrashAndGetsTheResult() throws Exception {
        RedisTaskQueue producer = queue("producer");
        RedisTaskQueue worker = queue("worker");
        String id = producer.submit("x").id();
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> producer.result(id, WAIT));
        Thread.sleep(300);

        server.kill();
        Thread.sleep(1000);
        server.restart();
        ClaimedTask task = worker.claim(1, WAIT).get(0);
        assertThat(worker.complete(task, "done")).isTrue();

        assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void aHandlerRunningThroughACrashCompletesItsTaskOnceAfterTheRestart() throws Exception {
        RedisTaskQueue producer = queue("producer");
        RedisTaskQueue worker = queue("worker");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch crashed = new CountDownLatch(1);
        TaskWorkers workers = TaskWorkers.builder(worker, context -> {
                    running.countDown();
                    crashed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return "attempt " + context.attempt();
                })
                .threads(1)
                .start();
        closers.add(workers);
        String id = producer.submit("x").id();
        assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        server.kill();
        server.restart();
        crashed.countDown();

        assertThat(producer.result(id, WAIT)).isEqualTo("attempt 1");
        await().atMost(WAIT).until(() -> workers.completed() == 1);
        assertThat(workers.refused()).isZero();
        assertThat(producer.stats().expired()).isZero();
    }

    @Test
    void theResultOfACompletedTaskSurvivesACrash() {
        RedisTaskQueue producer = queue("producer");
        RedisTaskQueue worker = queue("worker");
        String id = producer.submit("x").id();
        ClaimedTask task = worker.claim(1).get(0);
        worker.complete(task, "kept");

        server.kill();
        server.restart();

        assertThat(producer.result(id, WAIT)).isEqualTo("kept");
        assertThat(producer.status(id).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void tokensStayAboveEarlierOnesAfterRedisLostEverything() {
        RedisTaskQueue queue = queue("worker");
        queue.submit("before");
        long before = queue.claim(1).get(0).fencingToken();

        server.restartEmpty();
        await().atMost(WAIT).ignoreExceptions().until(() -> queue.submit("after")
                .created());
        ClaimedTask after = queue.claim(1, WAIT).get(0);

        assertThat(after.payload()).isEqualTo("after");
        assertThat(after.fencingToken()).isGreaterThan(before);
    }
}
