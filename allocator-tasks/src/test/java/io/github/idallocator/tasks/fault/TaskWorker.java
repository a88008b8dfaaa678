package io.github.idallocator.tasks.fault;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskContext;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskWorkers;
import io.github.idallocator.test.EventLog;
import io.github.idallocator.test.WorkerControl;
import io.github.idallocator.test.WorkerGroup;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The worker JVM of the task fault tests: attaches to queue {@code queue=} on {@code redis=host:port} with a visibility
 * timeout of {@code visibility-ms=} and, with {@code threads=} above 0, runs {@link TaskWorkers} with that many threads
 * (with {@code start-on-go=true} only from the command {@code go} on: a spare, warmed up, that joins at once).
 * Its handler logs {@code MARK START <id> <token> <attempt>}, works 0 to {@code work-ms=} ms (a later attempt 0 to
 * {@code retry-work-ms=} ms) and returns {@code
 * <name>/<token>} as the result, so the completed task names its completer; {@link LoggedQueue} logs {@code MARK DONE
 * <id> <token> true|false|error} once {@code complete} returned.
 *
 * <p>Commands, for tests that claim and complete by hand: {@code claim <waitMs>} claims one task and logs {@code MARK
 * CLAIMED <id> <token> <attempt> <sentNanos>} (the {@link System#nanoTime()} before the claim was sent), answering
 * {@code CLAIMED <id> <token> <attempt>} on standard output (or {@code CLAIMED none}); {@code complete <id>} completes
 * the claimed task with the result {@code <name>/<token>}, answering {@code COMPLETED <id> <true|false>}.
 */
public final class TaskWorker {

    private final String name;
    private final EventLog log;
    private final WorkerControl control = new WorkerControl();
    private final LoggedQueue queue;
    private final RedisTaskQueue redisQueue;
    private final Map<String, ClaimedTask> claimed = new ConcurrentHashMap<>();
    private final long workMillis;
    private final long retryWorkMillis;

    private TaskWorker(Map<String, String> arguments, LettuceConnectionFactory factory) {
        this.name = arguments.get("name");
        this.log = EventLog.open(name, Path.of("."));
        this.workMillis = Long.parseLong(arguments.getOrDefault("work-ms", "0"));
        this.retryWorkMillis = Long.parseLong(arguments.getOrDefault("retry-work-ms", "0"));
        TaskQueueConfig config = TaskQueueConfig.builder(arguments.get("queue"))
                .visibilityTimeout(Duration.ofMillis(Long.parseLong(arguments.get("visibility-ms"))))
                .maxAttempts(TaskQueueConfig.MAX_ATTEMPTS)
                .pollBound(Duration.ofMillis(200))
                .build();
        this.redisQueue = RedisTaskQueue.create(factory, config, name);
        this.queue = new LoggedQueue(redisQueue, log);
        control.on("claim", words -> claim(Duration.ofMillis(Long.parseLong(words[0]))));
        control.on("complete", words -> complete(words[0]));
    }

    /** Runs a worker; see the class description for the arguments. */
    public static void main(String[] args) {
        Map<String, String> arguments = WorkerGroup.arguments(args);
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(50)))
                .build();
        String[] redis = arguments.get("redis").split(":");
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis[0], Integer.parseInt(redis[1])),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofSeconds(1))
                        .clientResources(resources)
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                .build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        TaskWorker worker = new TaskWorker(arguments, factory);
        int threads = Integer.parseInt(arguments.getOrDefault("threads", "0"));
        AtomicReference<TaskWorkers> workers = new AtomicReference<>();
        Runnable startWorkers = () -> workers.set(TaskWorkers.builder(worker.queue, worker::handle)
                .threads(threads)
                .workerId(worker.name)
                .shutdownTimeout(Duration.ofSeconds(5))
                .start());
        if (threads > 0 && Boolean.parseBoolean(arguments.getOrDefault("start-on-go", "false"))) {
            worker.control.on("go", words -> startWorkers.run());
        } else if (threads > 0) {
            startWorkers.run();
        }
        worker.control.listen();
        worker.control.ready("name=" + worker.name);
        worker.control.awaitStop();
        if (workers.get() != null) {
            workers.get().close();
        }
        worker.redisQueue.close();
        worker.log.close();
        factory.destroy();
        resources.shutdown(0, 1, TimeUnit.SECONDS);
        System.exit(0);
    }

    private String handle(TaskContext task) throws InterruptedException {
        log.mark("START", task.id() + " " + task.fencingToken() + " " + task.attempt());
        long work = task.attempt() == 1 ? workMillis : retryWorkMillis;
        Thread.sleep(ThreadLocalRandom.current().nextLong(work + 1));
        return name + "/" + task.fencingToken();
    }

    private void claim(Duration wait) {
        long sent = System.nanoTime();
        List<ClaimedTask> tasks;
        try {
            tasks = redisQueue.claim(1, wait);
        } catch (IdAllocatorException e) {
            log.error(e);
            throw e;
        }
        if (tasks.isEmpty()) {
            control.print("CLAIMED none");
            return;
        }
        ClaimedTask task = tasks.get(0);
        claimed.put(task.id(), task);
        log.mark("CLAIMED", task.id() + " " + task.fencingToken() + " " + task.attempt() + " " + sent);
        control.print("CLAIMED " + task.id() + " " + task.fencingToken() + " " + task.attempt());
    }

    private void complete(String id) {
        ClaimedTask task = claimed.remove(id);
        if (task == null) {
            throw new IllegalArgumentException("No task " + id + " claimed here");
        }
        boolean completed = queue.complete(task, name + "/" + task.fencingToken());
        control.print("COMPLETED " + id + " " + completed);
    }
}
