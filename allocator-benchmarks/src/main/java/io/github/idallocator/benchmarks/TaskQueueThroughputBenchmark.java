package io.github.idallocator.benchmarks;

import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskOutcome;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskWorkerListener;
import io.github.idallocator.tasks.TaskWorkers;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

/**
 * Tasks per second end to end, submit to handler to completion, with 1 and 8 worker threads ({@code threads}), beside
 * Spring Data Redis's stream listener container doing the same work. Each implementation runs on the spring-data-redis
 * {@code LettuceConnectionFactory} (defaults) of its own private redis-server (the same binary), started per trial.
 *
 * <p>One invocation is one batch of {@value #BATCH} tasks: the benchmark thread, the producer, submits them one by one
 * while the workers already run them, then waits until all {@value #BATCH} are finished; the next batch starts on an
 * empty queue. {@link OperationsPerInvocation} makes the score tasks per second, averaged over whole batches, so a
 * score always covers the pipeline's start (idle workers woken), its steady state and its drain, never a task counted
 * before its completion. The handler does nothing:
 *
 * <ul>
 *   <li>library: {@link RedisTaskQueue} with the default {@link TaskQueueConfig} (30 s visibility timeout, 1 day
 *       retention of completed tasks, 1 s poll bound), {@code submit(payload)} by the producer; {@link TaskWorkers} with
 *       {@code threads} threads claim (as many tasks at once as threads are free, woken by the queue's channel), run
 *       the no-op handler and complete each task, a busy thread claiming its next task with the completion
 *       ({@code completeAndClaim}); a {@link TaskWorkerListener} counts completions;
 *   <li>streams: the producer adds each task by {@code XADD} (StringRedisTemplate); a {@link
 *       StreamMessageListenerContainer} (batch size 1, 1 s poll timeout) with {@code threads} consumers of one group,
 *       each a blocking {@code XREADGROUP COUNT 1} loop on a thread of its own, runs the no-op handler and then {@code
 *       XACK}s the record. Spring Data Redis runs a blocking read on a dedicated connection, which its connection
 *       factory opens and closes for every read unless it pools connections: {@code pooled} runs both.
 * </ul>
 *
 * <p>After every iteration the states print the server's calls per task and the connections it accepted. Do not pass
 * {@code -t}: the producer is one thread by design.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class TaskQueueThroughputBenchmark {

    /** Tasks per invocation. */
    static final int BATCH = 500;

    /** The queue's (and the stream's) name. */
    static final String NAME = "task-benchmark";

    /** The longest a batch may take before the benchmark gives up. */
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    /** Waits until {@code finished} counted a batch. */
    static void awaitBatch(Semaphore finished, String what) throws InterruptedException {
        if (!finished.tryAcquire(BATCH, BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + ": only " + finished.availablePermits() + " of " + BATCH
                    + " tasks finished in " + BATCH_TIMEOUT);
        }
    }

    /** The library's queue and workers on the connection factory of their own redis-server. */
    @State(Scope.Benchmark)
    public static class Library extends TaskServerState {
        /** Worker threads. */
        @Param({"1", "8"})
        public int threads;

        final Semaphore finished = new Semaphore(0);
        RedisTaskQueue queue;
        TaskWorkers workers;
        long submitted;

        /** Starts the server, the queue and the workers. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            queue = RedisTaskQueue.create(
                    redis.connectionFactory(), TaskQueueConfig.builder(NAME).build(), "task-benchmark-library");
            workers = TaskWorkers.builder(queue, context -> "")
                    .threads(threads)
                    .listener(new TaskWorkerListener() {
                        @Override
                        public void finished(ClaimedTask task, TaskOutcome outcome, Duration ran) {
                            if (outcome == TaskOutcome.COMPLETED) {
                                counted();
                                finished.release();
                            }
                        }
                    })
                    .start();
            System.out.println(System.lineSeparator() + redis.describe() + "; library " + queue.config() + ", "
                    + threads + " worker threads, batches of " + BATCH);
        }

        void runBatch() throws InterruptedException {
            for (int i = 0; i < BATCH; i++) {
                queue.submit("task-" + ++submitted);
            }
            awaitBatch(finished, "library");
        }

        @Override
        protected void closeClients() {
            workers.close();
            queue.close();
        }
    }

    /** Spring Data Redis's stream listener container with a consumer group, on its own redis-server. */
    @State(Scope.Benchmark)
    public static class Streams extends TaskServerState {
        /** Consumers (one thread each). */
        @Param({"1", "8"})
        public int threads;

        /**
         * The connection factory of the container and the template: {@code false} is {@link BenchmarkRedis}'s (the
         * defaults: one shared connection, and a new connection for every blocking read); {@code true} adds a
         * commons-pool2 pool (default size 8) from which the blocking reads borrow their dedicated connections.
         */
        @Param({"false", "true"})
        public boolean pooled;

        static final String GROUP = "workers";

        final Semaphore finished = new Semaphore(0);
        volatile boolean running = true;
        StringRedisTemplate template;
        LettuceConnectionFactory pool;
        StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;
        long submitted;

        /** Starts the server, creates the group and starts the container with its consumers. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            redis.commands()
                    .xgroupCreate(XReadArgs.StreamOffset.from(NAME, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            LettuceConnectionFactory factory = redis.connectionFactory();
            if (pooled) {
                pool = new LettuceConnectionFactory(
                        new RedisStandaloneConfiguration(
                                redis.server().host(), redis.server().port()),
                        LettucePoolingClientConfiguration.builder()
                                .poolConfig(new GenericObjectPoolConfig<>())
                                .build());
                pool.afterPropertiesSet();
                pool.start();
                factory = pool;
            }
            template = new StringRedisTemplate(factory);
            StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options =
                    StreamMessageListenerContainerOptions.builder()
                            .batchSize(1)
                            .pollTimeout(Duration.ofSeconds(1))
                            .errorHandler(e -> {
                                if (running) {
                                    System.err.println("stream listener container: " + e);
                                }
                            })
                            .build();
            container = StreamMessageListenerContainer.create(factory, options);
            for (int i = 1; i <= threads; i++) {
                container.receive(
                        Consumer.from(GROUP, "consumer-" + i),
                        StreamOffset.create(NAME, ReadOffset.lastConsumed()),
                        record -> {
                            template.opsForStream().acknowledge(GROUP, record);
                            counted();
                            finished.release();
                        });
            }
            container.start();
            System.out.println(System.lineSeparator() + redis.describe() + "; Spring Data Redis "
                    + "StreamMessageListenerContainer, batch size 1, " + threads + " consumers of one group, "
                    + (pooled ? "pooled connections" : "factory defaults") + ", batches of " + BATCH);
        }

        void runBatch() throws InterruptedException {
            for (int i = 0; i < BATCH; i++) {
                template.opsForStream().add(NAME, Map.of("payload", "task-" + ++submitted));
            }
            awaitBatch(finished, "streams");
        }

        @Override
        protected void closeClients() {
            running = false;
            container.stop();
            if (pool != null) {
                pool.destroy();
            }
        }
    }

    /** The library: submit, claim, no-op handler, complete. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void library(Library library) throws InterruptedException {
        library.runBatch();
    }

    /** Spring Data Redis streams: XADD, XREADGROUP, no-op handler, XACK. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void streams(Streams streams) throws InterruptedException {
        streams.runBatch();
    }
}
