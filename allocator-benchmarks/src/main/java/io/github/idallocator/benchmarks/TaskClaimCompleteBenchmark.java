package io.github.idallocator.benchmarks;

import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.CompletedAndClaimed;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Claim-to-complete overhead per task, one thread, tasks submitted ahead: the average time of taking one task and
 * finishing it, with no handler in between, on the spring-data-redis {@code LettuceConnectionFactory} (defaults) of a
 * private redis-server per implementation (the same binary):
 *
 * <ul>
 *   <li>library: {@link RedisTaskQueue#claim(int) claim(1)} (no wait) then {@code complete(task, "")}: two script
 *       calls (claim.lua, complete.lua), default {@link TaskQueueConfig};
 *   <li>libraryCompleteAndClaim: a busy worker's steady state, {@code completeAndClaim(task, "", 1)} finishing the task
 *       claimed by the previous call and taking the next: one script call (complete_claim.lua) per task, as {@link
 *       io.github.idallocator.tasks.TaskWorkers} does while tasks wait;
 *   <li>streams: Spring Data Redis's {@code StreamOperations.read} of one record for a consumer of a group ({@code
 *       XREADGROUP COUNT 1}, not blocking) then {@code acknowledge} ({@code XACK}).
 * </ul>
 *
 * <p>Before every iteration, outside the measurement, the state tops the queue (the stream) up to {@value #STOCK}
 * waiting tasks with four submitting threads; an iteration that runs out of tasks fails rather than measure empty
 * claims, so keep iterations at 1 s (Spring Data Redis streams reach 10,000 a second here).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class TaskClaimCompleteBenchmark {

    /** Waiting tasks at the start of every iteration. */
    static final int STOCK = 25_000;

    /** The queue's (and the stream's) name. */
    static final String NAME = "task-claim-benchmark";

    /** Runs {@code submit} {@code count} times on four threads. */
    static void submitInParallel(int count, Runnable submit) {
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                done.add(submitters.submit(submit));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("submitting tasks ahead failed", e);
        } finally {
            submitters.shutdown();
        }
    }

    /** The library's queue on the connection factory of its own redis-server. */
    @State(Scope.Benchmark)
    public static class Library extends TaskServerState {
        RedisTaskQueue queue;
        int waiting;

        @Nullable
        ClaimedTask current;

        /** Starts the server and creates the queue. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            queue = RedisTaskQueue.create(
                    redis.connectionFactory(), TaskQueueConfig.builder(NAME).build(), "task-claim-benchmark");
            System.out.println(System.lineSeparator() + redis.describe() + "; library " + queue.config()
                    + ", claim(1) + complete, " + STOCK + " tasks waiting at each iteration's start");
        }

        @Override
        protected void prepareIteration() {
            submitInParallel(STOCK - waiting, () -> queue.submit("task"));
            waiting = STOCK;
        }

        String claimAndComplete() {
            List<ClaimedTask> tasks = queue.claim(1);
            if (tasks.isEmpty()) {
                throw new IllegalStateException("all " + STOCK + " tasks were claimed: use shorter iterations");
            }
            ClaimedTask task = tasks.get(0);
            if (!queue.complete(task, "")) {
                throw new IllegalStateException("completion of " + task + " refused");
            }
            waiting--;
            counted();
            return task.id();
        }

        String completeAndClaimNext() {
            if (current == null) {
                current = queue.claim(1).get(0);
            }
            CompletedAndClaimed done = queue.completeAndClaim(current, "", 1);
            if (!done.completed()) {
                throw new IllegalStateException("completion of " + current + " refused");
            }
            if (done.claimed().isEmpty()) {
                throw new IllegalStateException("all " + STOCK + " tasks were claimed: use shorter iterations");
            }
            String finished = current.id();
            current = done.claimed().get(0);
            waiting--;
            counted();
            return finished;
        }

        @Override
        protected void closeClients() {
            queue.close();
        }
    }

    /** A stream with a consumer group through Spring Data Redis's StreamOperations, on its own redis-server. */
    @State(Scope.Benchmark)
    public static class Streams extends TaskServerState {
        static final String GROUP = "workers";
        static final Consumer CONSUMER = Consumer.from(GROUP, "consumer-1");

        StringRedisTemplate template;
        int waiting;

        /** Starts the server and creates the stream and its group. */
        @Setup(Level.Trial)
        public void setUp() {
            redis = BenchmarkRedis.start();
            redis.commands()
                    .xgroupCreate(XReadArgs.StreamOffset.from(NAME, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            template = new StringRedisTemplate(redis.connectionFactory());
            System.out.println(System.lineSeparator() + redis.describe() + "; Spring Data Redis StreamOperations, "
                    + "XREADGROUP COUNT 1 + XACK, " + STOCK + " records waiting at each iteration's start");
        }

        @Override
        protected void prepareIteration() {
            submitInParallel(STOCK - waiting, () -> template.opsForStream().add(NAME, Map.of("payload", "task")));
            waiting = STOCK;
        }

        @SuppressWarnings("unchecked") // StreamOperations.read takes generic varargs of stream offsets
        String readAndAcknowledge() {
            List<MapRecord<String, Object, Object>> records = template.opsForStream()
                    .read(
                            CONSUMER,
                            StreamReadOptions.empty().count(1),
                            StreamOffset.create(NAME, ReadOffset.lastConsumed()));
            if (records == null || records.isEmpty()) {
                throw new IllegalStateException("all " + STOCK + " records were read: use shorter iterations");
            }
            MapRecord<String, Object, Object> record = records.get(0);
            Long acknowledged = template.opsForStream().acknowledge(NAME, GROUP, record.getId());
            if (acknowledged == null || acknowledged != 1) {
                throw new IllegalStateException("XACK of " + record.getId() + " acknowledged " + acknowledged);
            }
            waiting--;
            counted();
            return record.getId().getValue();
        }
    }

    /** The library: claim(1) + complete. */
    @Benchmark
    public String library(Library library) {
        return library.claimAndComplete();
    }

    /** The library, a busy worker's steady state: completeAndClaim(previous, "", 1). */
    @Benchmark
    public String libraryCompleteAndClaim(Library library) {
        return library.completeAndClaimNext();
    }

    /** Spring Data Redis streams: XREADGROUP COUNT 1 + XACK. */
    @Benchmark
    public String streams(Streams streams) {
        return streams.readAndAcknowledge();
    }
}
