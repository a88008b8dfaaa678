package io.github.idallocator.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.CompletedAndClaimed;
import io.github.idallocator.tasks.DeadTask;
import io.github.idallocator.tasks.DeadTaskPage;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.Submission;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskFailedException;
import io.github.idallocator.tasks.TaskNotFoundException;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskQueueStats;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskStatus;
import io.github.idallocator.tasks.TaskTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a task queue promises on any backend, through the public API of {@link TaskQueue}: claims are leases with
 * fencing tokens and a deadline by the backend's clock, so a task whose worker does not finish it in time is claimed
 * again with its attempt one higher and the late worker is refused; idempotent submits, priorities, delays, retries with
 * backoff, dead tasks and requeueing, waiting for results, retention and idle expiry of everything stored, worker
 * presence, counts and counters, and invalid input rejected before the backend is touched.
 *
 * <p>A backend runs it by extending it and implementing the hooks. Each test uses a fresh queue name; every queue
 * instance of one test stands for a separate process (its own connection).
 */
public abstract class TaskQueueContractTest {

    /**
     * The visibility timeout of the tests of redelivery: short enough that they take a second, long enough for a claim
     * and a finish on a busy machine.
     */
    private static final Duration SHORT_VISIBILITY = Duration.ofMillis(500);

    /** The visibility timeout of the other tests, which no pause of a warming-up JVM may outlast. */
    private static final Duration VISIBILITY = Duration.ofSeconds(10);

    /** A margin past a deadline, for the backend's clock and a busy machine. */
    private static final Duration SLACK = Duration.ofMillis(250);

    /** How far apart the remaining lives of a queue's records may be read, when they all expire at one moment. */
    private static final Duration TOGETHER = Duration.ofMillis(200);

    /** How long a test waits for what should happen within a second. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private String name;
    private final List<ExecutorService> executors = new ArrayList<>();

    /** A queue instance of the backend for {@code config}, as a separate process would create it; closed by the kit. */
    protected abstract TaskQueue createQueue(TaskQueueConfig config);

    /**
     * Every record the backend stores for the queue of {@code config}, read directly from the backend: each record's
     * name mapped to the milliseconds it has left to live (-1 when it never expires); empty when nothing is stored.
     */
    protected abstract Map<String, Long> storedKeys(TaskQueueConfig config);

    /** Makes the backend lose everything of the queue of {@code config}, as data loss would. */
    protected abstract void loseQueue(TaskQueueConfig config);

    /** Closes the queues created by {@link #createQueue}; called after each test. */
    protected abstract void closeQueues() throws Exception;

    @BeforeEach
    void nameTheQueue() {
        name = "queue-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        executors.forEach(ExecutorService::shutdownNow);
        closeQueues();
    }

    /** The configuration of this test's queue: short visibility timeout, quick polling, a fixed backoff of 200 ms. */
    protected TaskQueueConfig config(UnaryOperator<TaskQueueConfig.Builder> custom) {
        return custom.apply(TaskQueueConfig.builder(name)
                        .visibilityTimeout(VISIBILITY)
                        .backoff(Backoff.fixed(Duration.ofMillis(200)))
                        .pollBound(Duration.ofMillis(50)))
                .build();
    }

    /** A queue instance of this test's queue. */
    protected TaskQueue queue() {
        return createQueue(config(b -> b));
    }

    /** A queue instance of this test's queue with customised configuration. */
    protected TaskQueue queue(UnaryOperator<TaskQueueConfig.Builder> custom) {
        return createQueue(config(custom));
    }

    /** This test's queue name. */
    protected String queueName() {
        return name;
    }

    private static SubmitOptions id(String taskId) {
        return SubmitOptions.defaults().taskId(taskId);
    }

    /** When the backend's clock stood at the claim: its deadline less the visibility timeout it was claimed for. */
    private static Instant claimedAt(TaskQueue queue, ClaimedTask task) {
        return task.deadline().minus(queue.config().visibilityTimeout());
    }

    /**
     * The local time since {@code startNanos}, plus a millisecond for the rounding of the backend's clock: a bound of how
     * far the backend's clock moved between two of its replies within that time.
     */
    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).plusMillis(1);
    }

    private static ClaimedTask claimOne(TaskQueue queue) {
        List<ClaimedTask> claimed = queue.claim(1);
        assertThat(claimed).as("tasks claimed").hasSize(1);
        return claimed.get(0);
    }

    private static ClaimedTask awaitOne(TaskQueue queue) {
        List<ClaimedTask> claimed = queue.claim(1, PATIENCE);
        assertThat(claimed).as("tasks claimed within %s", PATIENCE).hasSize(1);
        return claimed.get(0);
    }

    /**
     * Claims a task that becomes due {@code delay} after a call started at {@code startNanos}: a claim right away finds
     * nothing while the delay has not passed locally (nor, then, by the backend's clock); then waits for it.
     */
    private static ClaimedTask claimOnceDue(TaskQueue queue, long startNanos, Duration delay) {
        List<ClaimedTask> early = queue.claim(1);
        if (since(startNanos).compareTo(delay) < 0) {
            assertThat(early).as("claimed before its time").isEmpty();
        }
        return early.isEmpty() ? awaitOne(queue) : early.get(0);
    }

    private TaskState state(TaskQueue queue, String id) {
        return queue.status(id).orElseThrow().state();
    }

    private ExecutorService threads(int count) {
        ExecutorService executor = Executors.newFixedThreadPool(count);
        executors.add(executor);
        return executor;
    }

    // --- submit, claim, complete

    @Test
    void aSubmittedTaskIsClaimedWithItsPayloadAsAFirstAttemptAndCompletedWithItsResult() {
        TaskQueue queue = queue();
        Submission submission = queue.submit("{\"to\":\"a@example.com\"}");
        assertThat(submission.created()).isTrue();
        assertThat(submission.state()).isEqualTo(TaskState.WAITING);

        ClaimedTask task = claimOne(queue);

        assertThat(task.id()).isEqualTo(submission.id());
        assertThat(task.queue()).isEqualTo(name);
        assertThat(task.payload()).isEqualTo("{\"to\":\"a@example.com\"}");
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.fencingToken()).isPositive();
        assertThat(task.isHeld()).isTrue();
        assertThat(task.remaining()).isPositive().isLessThanOrEqualTo(VISIBILITY);
        TaskStatus running = queue.status(task.id()).orElseThrow();
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.owner()).isEqualTo(task.owner());
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.until()).isEqualTo(task.deadline());

        assertThat(queue.complete(task, "sent")).isTrue();

        assertThat(task.isHeld()).isFalse();
        TaskStatus completed = queue.status(task.id()).orElseThrow();
        assertThat(completed.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(completed.result()).isEqualTo("sent");
        assertThat(completed.owner()).isNull();
        assertThat(queue.result(task.id(), Duration.ofSeconds(1))).isEqualTo("sent");
    }

    @Test
    void completeAndClaimCompletesTheTaskAndClaimsTheNextInOrder() {
        TaskQueue queue = queue();
        String first = queue.submit("one").id();
        String second = queue.submit("two").id();
        String third = queue.submit("three").id();
        ClaimedTask task = claimOne(queue);
        assertThat(task.id()).isEqualTo(first);

        CompletedAndClaimed done = queue.completeAndClaim(task, "sent", 1);

        assertThat(done.completed()).isTrue();
        assertThat(task.isHeld()).isFalse();
        assertThat(queue.status(first).orElseThrow().result()).isEqualTo("sent");
        assertThat(done.claimed()).hasSize(1);
        ClaimedTask next = done.claimed().get(0);
        assertThat(next.id()).isEqualTo(second);
        assertThat(next.payload()).isEqualTo("two");
        assertThat(next.attempt()).isEqualTo(1);
        assertThat(next.fencingToken()).isGreaterThan(task.fencingToken());
        assertThat(next.isHeld()).isTrue();
        assertThat(state(queue, second)).isEqualTo(TaskState.RUNNING);
        assertThat(state(queue, third)).isEqualTo(TaskState.WAITING);

        CompletedAndClaimed last = queue.completeAndClaim(next, "sent too", 5);

        assertThat(last.completed()).isTrue();
        assertThat(last.claimed()).extracting(ClaimedTask::id).containsExactly(third);
        assertThat(queue.completeAndClaim(last.claimed().get(0), "", 5))
                .isEqualTo(new CompletedAndClaimed(true, List.of()));
        assertThat(queue.stats().completed()).isEqualTo(3);
    }

    @Test
    void completeAndClaimClaimsTheNextTaskEvenWhenTheCompletionIsRefused() {
        TaskQueue first = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY));
        TaskQueue second = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY));
        String id = first.submit("work").id();
        ClaimedTask late = claimOne(first);
        ClaimedTask again = awaitOne(second);
        String other = first.submit("other").id();

        CompletedAndClaimed done = first.completeAndClaim(late, "late", 1);

        assertThat(done.completed()).isFalse();
        assertThat(late.isHeld()).isFalse();
        assertThat(done.claimed()).extracting(ClaimedTask::id).containsExactly(other);
        assertThat(state(second, id)).isEqualTo(TaskState.RUNNING);
        assertThat(second.complete(again, "on time")).isTrue();
        assertThat(first.status(id).orElseThrow().result()).isEqualTo("on time");
    }

    @Test
    void completeAndClaimOfNoTasksOnlyCompletesAndIsIdempotentByToken() {
        TaskQueue queue = queue();
        String id = queue.submit("one").id();
        String waiting = queue.submit("two").id();
        ClaimedTask task = claimOne(queue);

        assertThat(queue.completeAndClaim(task, "sent", 0)).isEqualTo(new CompletedAndClaimed(true, List.of()));
        assertThat(queue.completeAndClaim(task, "sent", 0)).isEqualTo(new CompletedAndClaimed(true, List.of()));
        assertThat(queue.complete(task, "sent")).isTrue();

        assertThat(queue.status(id).orElseThrow().result()).isEqualTo("sent");
        assertThat(state(queue, waiting)).isEqualTo(TaskState.WAITING);
        assertThat(queue.stats().completed()).isEqualTo(1);
    }

    @Test
    void aWaitingResultReaderGetsTheResultOnceAnotherInstanceCompletesTheTask() throws Exception {
        TaskQueue producer = queue();
        TaskQueue worker = queue();
        String id = producer.submit("input").id();
        Future<String> result = threads(1).submit(() -> producer.result(id, PATIENCE));

        ClaimedTask task = claimOne(worker);
        assertThat(worker.complete(task, "output")).isTrue();

        assertThat(result.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("output");
    }

    @Test
    void aSubmitWithATaskIdIsIdempotentWhileTheTaskIsKept() {
        TaskQueue queue = queue();

        Submission first = queue.submit("first", id("order-42"));
        Submission second = queue.submit("second", id("order-42"));

        assertThat(first.created()).isTrue();
        assertThat(second).isEqualTo(new Submission("order-42", false, TaskState.WAITING));
        List<ClaimedTask> claimed = queue.claim(10);
        assertThat(claimed).extracting(ClaimedTask::payload).containsExactly("first");
        assertThat(queue.complete(claimed.get(0), "done")).isTrue();

        assertThat(queue.submit("third", id("order-42")))
                .isEqualTo(new Submission("order-42", false, TaskState.COMPLETED));
        assertThat(queue.claim(10)).isEmpty();
        assertThat(queue.stats().submitted()).isEqualTo(1);
    }

    @Test
    void higherPrioritiesAreClaimedFirstAndEachPriorityInTheOrderOfSubmission() {
        TaskQueue queue = queue();
        queue.submit("low-1", id("low-1"));
        queue.submit("mid-1", id("mid-1").priority(5));
        queue.submit("low-2", id("low-2"));
        queue.submit("mid-2", id("mid-2").priority(5));
        queue.submit("top", id("top").priority(SubmitOptions.MAX_PRIORITY));
        queue.submit("low-3", id("low-3"));

        List<String> order = new ArrayList<>();
        order.add(claimOne(queue).id());
        queue.claim(5).forEach(task -> order.add(task.id()));

        assertThat(order).containsExactly("top", "mid-1", "mid-2", "low-1", "low-2", "low-3");
    }

    // --- delays

    @Test
    void aDelayedTaskBecomesClaimableWhenItsDelayPassedByTheBackendsClock() {
        TaskQueue queue = queue();
        long start = System.nanoTime();

        Submission submission = queue.submit("later", SubmitOptions.defaults().delay(Duration.ofMillis(600)));

        assertThat(submission.state()).isEqualTo(TaskState.DELAYED);
        TaskStatus delayed = queue.status(submission.id()).orElseThrow();
        assertThat(delayed.state()).isEqualTo(TaskState.DELAYED);
        assertThat(delayed.until()).isEqualTo(delayed.submittedAt().plusMillis(600));

        ClaimedTask task = claimOnceDue(queue, start, Duration.ofMillis(600));

        assertThat(task.id()).isEqualTo(submission.id());
        assertThat(claimedAt(queue, task)).isAfterOrEqualTo(delayed.until());
    }

    // --- visibility timeout, extend, progress

    @Test
    void aTaskNotFinishedWithinItsVisibilityTimeoutIsClaimedAgainAndTheLateWorkerIsRefused() {
        TaskQueue first = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY));
        TaskQueue second = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY));
        String id = first.submit("work").id();
        ClaimedTask late = claimOne(first);

        ClaimedTask again = awaitOne(second);

        assertThat(again.id()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.fencingToken()).isGreaterThan(late.fencingToken());
        assertThat(claimedAt(second, again)).isAfterOrEqualTo(late.deadline());
        assertThat(first.complete(late, "late")).isFalse();
        assertThat(first.extend(late)).isFalse();
        assertThat(first.progress(late, 1, 2)).isFalse();
        assertThat(first.fail(late, "late")).isEmpty();
        assertThat(late.isHeld()).isFalse();
        assertThat(state(second, id)).isEqualTo(TaskState.RUNNING);

        assertThat(second.complete(again, "on time")).isTrue();

        assertThat(first.status(id).orElseThrow().result()).isEqualTo("on time");
        TaskQueueStats stats = first.stats();
        assertThat(stats.completed()).isEqualTo(1);
        assertThat(stats.expired()).isEqualTo(1);
    }

    @Test
    void aWorkerWhoseDeadlinePassedIsRefusedEvenBeforeAnotherClaim() {
        TaskQueue queue = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY));
        String id = queue.submit("work").id();
        ClaimedTask task = claimOne(queue);

        await().atMost(PATIENCE).until(() -> !task.isHeld());
        await().pollDelay(Duration.ofMillis(100)).atMost(PATIENCE).until(() -> true);

        assertThat(queue.complete(task, "late")).isFalse();
        assertThat(state(queue, id)).isNotEqualTo(TaskState.COMPLETED);
        assertThat(queue.stats().completed()).isZero();
    }

    @Test
    void anExtendedTaskIsKeptPastItsOriginalDeadlineAndShowsItsProgress() {
        Duration visibility = Duration.ofSeconds(1);
        TaskQueue queue = queue(b -> b.visibilityTimeout(visibility));
        TaskQueue other = queue(b -> b.visibilityTimeout(visibility));
        String id = queue.submit("long").id();
        ClaimedTask task = claimOne(queue);
        Instant original = task.deadline();

        assertThat(queue.extend(task, Duration.ofSeconds(4))).isTrue();
        assertThat(task.deadline()).isAfterOrEqualTo(original.plusMillis(3000));
        assertThat(queue.progress(task, 40, 100)).isTrue();
        await().pollDelay(visibility.plus(SLACK)).atMost(PATIENCE).until(() -> true);

        assertThat(other.claim(1)).as("claimed past the original deadline").isEmpty();
        TaskStatus status = queue.status(id).orElseThrow();
        assertThat(status.state()).isEqualTo(TaskState.RUNNING);
        assertThat(status.until()).isEqualTo(task.deadline());
        assertThat(status.progress()).isEqualTo(40);
        assertThat(status.total()).isEqualTo(100);
        assertThat(task.isHeld()).isTrue();
        assertThat(queue.complete(task, "done")).isTrue();
        assertThat(queue.stats().expired()).isZero();
    }

    // --- retries, backoff, dead tasks

    @Test
    void aFailedTaskIsRetriedAfterTheBackoffAndNotBefore() {
        TaskQueue queue = queue(b -> b.backoff(Backoff.fixed(Duration.ofMillis(500))));
        String id = queue.submit("flaky").id();
        long start = System.nanoTime();
        ClaimedTask first = claimOne(queue);

        assertThat(queue.fail(first, "boom")).contains(TaskState.DELAYED);

        Duration elapsed = since(start);
        TaskStatus delayed = queue.status(id).orElseThrow();
        assertThat(delayed.state()).isEqualTo(TaskState.DELAYED);
        assertThat(delayed.attempt()).isEqualTo(1);
        assertThat(delayed.lastError()).isEqualTo("boom");
        assertThat(Duration.between(claimedAt(queue, first), delayed.until()))
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(500).plus(elapsed));
        ClaimedTask second = claimOnceDue(queue, start, Duration.ofMillis(500));
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(claimedAt(queue, second)).isAfterOrEqualTo(delayed.until());
    }

    @Test
    void anExponentialBackoffDoublesTheWaitAfterEachFailedAttempt() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 2, 0);
        TaskQueue queue = queue(b -> b.backoff(backoff).maxAttempts(4));
        String id = queue.submit("flaky").id();

        for (int attempt = 1; attempt <= 3; attempt++) {
            Duration planned = Duration.ofMillis(100L << attempt);
            long start = System.nanoTime();
            ClaimedTask task = awaitOne(queue);
            Duration claiming = since(start);
            start = System.nanoTime();
            assertThat(task.attempt()).isEqualTo(attempt);
            assertThat(queue.fail(task, "boom " + attempt)).contains(TaskState.DELAYED);
            Duration failing = since(start);

            assertThat(Duration.between(
                            claimedAt(queue, task),
                            queue.status(id).orElseThrow().until()))
                    .as("wait after attempt %d", attempt)
                    .isBetween(planned, planned.plus(claiming).plus(failing));
        }
    }

    @Test
    void theBackoffScheduleIsInitialTimesMultiplierPerAttemptUpToItsMaximum() {
        Backoff exact = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 2, 0);
        assertThat(List.of(exact.delay(1), exact.delay(2), exact.delay(3), exact.delay(4), exact.delay(5)))
                .containsExactly(
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1000));

        Backoff jittered = exact.withJitter(0.5);
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        }
        assertThat(Backoff.fixed(Duration.ofMillis(300)).delay(7)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aTaskFailedWithoutRetryDiesAtOnce() {
        TaskQueue queue = queue();
        String id = queue.submit("fatal").id();
        ClaimedTask task = claimOne(queue);

        assertThat(queue.fail(task, "invalid address", Retry.NEVER)).contains(TaskState.DEAD);

        TaskStatus dead = queue.status(id).orElseThrow();
        assertThat(dead.state()).isEqualTo(TaskState.DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lastError()).isEqualTo("invalid address");
        assertThat(queue.claim(1)).isEmpty();
        assertThat(queue.dead(0, 10).tasks()).extracting(DeadTask::id).containsExactly(id);
    }

    @Test
    void aTaskDiesWhenItsLastAttemptFails() {
        TaskQueue queue = queue(b -> b.maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)));
        String id = queue.submit("flaky").id();

        List<TaskState> after = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClaimedTask task = claimOne(queue);
            assertThat(task.attempt()).isEqualTo(attempt);
            after.add(queue.fail(task, "boom " + attempt).orElseThrow());
        }

        assertThat(after).containsExactly(TaskState.WAITING, TaskState.WAITING, TaskState.DEAD);
        TaskStatus dead = queue.status(id).orElseThrow();
        assertThat(dead.state()).isEqualTo(TaskState.DEAD);
        assertThat(dead.attempt()).isEqualTo(3);
        assertThat(dead.lastError()).isEqualTo("boom 3");
        assertThat(queue.claim(1)).isEmpty();
    }

    @Test
    void aTaskDiesWhenItsLastAttemptIsNotFinishedWithinTheVisibilityTimeout() {
        TaskQueue queue = queue(b -> b.maxAttempts(1).visibilityTimeout(Duration.ofMillis(300)));
        String id = queue.submit("hangs").id();
        ClaimedTask task = claimOne(queue);

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(queue.claim(1)).isEmpty();
            return state(queue, id) == TaskState.DEAD;
        });

        TaskStatus dead = queue.status(id).orElseThrow();
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lastError()).contains("visibility timeout");
        assertThat(queue.complete(task, "late")).isFalse();
        assertThat(queue.stats().expired()).isEqualTo(1);
    }

    @Test
    void deadTasksAreListedMostRecentlyDeadFirstWithAttemptsAndLastErrorPageByPage() throws Exception {
        TaskQueue queue = queue(b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ZERO)));
        int priority = 2;
        for (String id : List.of("c", "b", "a")) {
            queue.submit(id, id(id).priority(priority--));
        }
        for (String id : List.of("c", "b", "a")) {
            ClaimedTask task = claimOne(queue);
            assertThat(task.id()).isEqualTo(id);
            if (id.equals("b")) {
                assertThat(queue.fail(task, "first of b")).contains(TaskState.WAITING);
                task = claimOne(queue);
            }
            assertThat(queue.fail(task, "error of " + id, Retry.NEVER)).contains(TaskState.DEAD);
            Thread.sleep(5);
        }

        DeadTaskPage first = queue.dead(0, 2);
        DeadTaskPage second = queue.dead(first.nextOffset(), 2);

        assertThat(first.total()).isEqualTo(3);
        assertThat(first.tasks()).extracting(DeadTask::id).containsExactly("a", "b");
        assertThat(first.tasks())
                .extracting(DeadTask::attempts, DeadTask::lastError)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "error of a"),
                        org.assertj.core.groups.Tuple.tuple(2, "error of b"));
        assertThat(first.nextOffset()).isEqualTo(2);
        assertThat(second.tasks()).extracting(DeadTask::id).containsExactly("c");
        assertThat(second.nextOffset()).isEqualTo(-1);
        assertThat(first.tasks().get(0).diedAt()).isAfter(first.tasks().get(1).diedAt());
        assertThat(first.tasks().get(1).diedAt()).isAfter(second.tasks().get(0).diedAt());
    }

    @Test
    void aRequeuedDeadTaskIsClaimableAgainWithAFreshCountOfAttempts() {
        TaskQueue queue = queue(b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ZERO)));
        String id = queue.submit("payload").id();
        assertThat(queue.fail(claimOne(queue), "one")).contains(TaskState.WAITING);
        assertThat(queue.fail(claimOne(queue), "two")).contains(TaskState.DEAD);
        assertThat(queue.requeue(queue.submit("alive").id()))
                .as("requeue of a task that is not dead")
                .isFalse();
        queue.claim(1);

        assertThat(queue.requeue(id)).isTrue();

        assertThat(queue.requeue(id)).as("requeued twice").isFalse();
        assertThat(state(queue, id)).isEqualTo(TaskState.WAITING);
        assertThat(queue.dead(0, 10).total()).isZero();
        ClaimedTask again = claimOne(queue);
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.payload()).isEqualTo("payload");
        assertThat(queue.complete(again, "finally")).isTrue();
        assertThat(queue.result(id, Duration.ZERO)).isEqualTo("finally");
        assertThat(queue.stats().requeued()).isEqualTo(1);
    }

    @Test
    void theResultOfADeadTaskIsATaskFailedException() {
        TaskQueue queue = queue();
        String id = queue.submit("fatal").id();
        queue.fail(claimOne(queue), "no such user", Retry.NEVER);

        assertThatThrownBy(() -> queue.result(id, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.status().id()).isEqualTo(id);
                    assertThat(e.status().state()).isEqualTo(TaskState.DEAD);
                    assertThat(e.isRetryable()).isFalse();
                })
                .hasMessageContaining(id)
                .hasMessageContaining("no such user");
    }

    @Test
    void waitingForAnUnfinishedTaskTimesOutWithARetryableExceptionWithinItsTimeout() {
        TaskQueue queue = queue();
        String id = queue.submit("slow").id();
        Duration timeout = Duration.ofMillis(400);

        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.result(id, timeout))
                .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                    assertThat(e.taskId()).isEqualTo(id);
                    assertThat(e.isRetryable()).isTrue();
                })
                .hasMessageContaining(id);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(waited).isBetween(timeout, timeout.plusSeconds(1));
        assertThatThrownBy(() -> queue.awaitFinished(id, Duration.ZERO)).isInstanceOf(TaskTimeoutException.class);
    }

    @Test
    void anUnknownTaskHasNoStatusAndNoResult() {
        TaskQueue queue = queue();

        assertThat(queue.status("never-submitted")).isEmpty();
        assertThatThrownBy(() -> queue.result("never-submitted", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        TaskNotFoundException.class, e -> assertThat(e.taskId()).isEqualTo("never-submitted"))
                .hasMessageContaining("never-submitted");
        assertThat(queue.requeue("never-submitted")).isFalse();
    }

    // --- retention and expiry

    @Test
    void finishedTasksAreDeletedAfterTheirRetentionAndTheirIdsCanBeSubmittedAnew() {
        TaskQueue queue = queue(b -> b.retention(Duration.ofSeconds(1))
                .deadRetention(Duration.ofSeconds(1))
                .idleExpiry(Duration.ofSeconds(60)));
        queue.submit("done", id("done-1"));
        long start = System.nanoTime();
        ClaimedTask completed = claimOne(queue);
        assertThat(queue.complete(completed, "ok")).isTrue();
        Duration elapsed = since(start);
        queue.submit("dead", id("dead-1"));
        assertThat(queue.fail(claimOne(queue), "fatal", Retry.NEVER)).contains(TaskState.DEAD);
        TaskStatus kept = queue.status("done-1").orElseThrow();
        assertThat(Duration.between(claimedAt(queue, completed), kept.until()))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(1).plus(elapsed));
        assertThat(queue.submit("again", id("done-1")).created())
                .as("resubmitted within retention")
                .isFalse();

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            queue.claim(1);
            return queue.status("done-1").isEmpty() && queue.status("dead-1").isEmpty();
        });

        assertThat(queue.dead(0, 10).total()).isZero();
        assertThat(queue.stats().finished()).isZero();
        Submission anew = queue.submit("again", id("done-1"));
        assertThat(anew.created()).isTrue();
        assertThat(claimOne(queue).payload()).isEqualTo("again");
    }

    @Test
    void noStoredRecordLivesForeverWhateverTheSequenceOfOperations() throws Exception {
        long seed = Long.getLong("idallocator.tck.seed", System.nanoTime());
        System.out.println(
                "TaskQueueContractTest no-TTL sequence seed " + seed + " (rerun with -Didallocator.tck.seed)");
        Random random = new Random(seed);
        TaskQueueConfig config = config(b -> b.visibilityTimeout(Duration.ofMillis(300))
                .maxAttempts(3)
                .backoff(Backoff.fixed(Duration.ofMillis(100)))
                .retention(Duration.ofSeconds(1))
                .deadRetention(Duration.ofSeconds(1))
                .idleExpiry(Duration.ofSeconds(60)));
        TaskQueue queue = createQueue(config);
        List<ClaimedTask> held = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        for (int step = 0; step < 200; step++) {
            int op = random.nextInt(100);
            String id = "t" + random.nextInt(25);
            if (op < 25) {
                Duration delay = random.nextBoolean() ? Duration.ZERO : Duration.ofMillis(random.nextInt(400));
                queue.submit("p", id(id).delay(delay).priority(random.nextInt(3)));
                operations.add("submit " + id + " delay " + delay.toMillis());
            } else if (op < 45) {
                held.addAll(queue.claim(1 + random.nextInt(3)));
                operations.add("claim");
            } else if (op < 55 && !held.isEmpty()) {
                ClaimedTask task = held.remove(random.nextInt(held.size()));
                if (random.nextBoolean()) {
                    queue.complete(task, "r");
                    operations.add("complete");
                } else {
                    int more = random.nextInt(3);
                    held.addAll(queue.completeAndClaim(task, "r", more).claimed());
                    operations.add("complete and claim " + more);
                }
            } else if (op < 68 && !held.isEmpty()) {
                Retry retry = List.of(Retry.BACKOFF, Retry.NEVER, Retry.after(Duration.ZERO))
                        .get(random.nextInt(3));
                queue.fail(held.remove(random.nextInt(held.size())), "e", retry);
                operations.add("fail " + retry);
            } else if (op < 75 && !held.isEmpty()) {
                ClaimedTask task = held.get(random.nextInt(held.size()));
                queue.extend(task, Duration.ofMillis(300));
                queue.progress(task, 1, 2);
                operations.add("extend");
            } else if (op < 83) {
                queue.requeue(id);
                operations.add("requeue " + id);
            } else if (op < 90) {
                queue.announce("worker-" + random.nextInt(3), Duration.ofMillis(random.nextInt(2) * 300));
                operations.add("announce");
            } else if (op < 95) {
                queue.status(id);
                queue.stats();
                queue.dead(0, 5);
                operations.add("read");
            } else {
                long pause = 100 + random.nextInt(300);
                Thread.sleep(pause);
                operations.add("sleep " + pause);
            }
            Map<String, Long> stored = storedKeys(config);
            assertThat(stored)
                    .as("records after %s (seed %d)", operations, seed)
                    .allSatisfy((key, ttl) -> assertThat(ttl).as(key).isPositive());
            if (!stored.isEmpty()) {
                long latest = Collections.max(stored.values());
                assertThat(stored)
                        .as("records after %s (seed %d) expire together", operations, seed)
                        .allSatisfy((key, ttl) -> assertThat(ttl).as(key).isGreaterThan(latest - TOGETHER.toMillis()));
            }
        }
        Thread.sleep(1200);
        queue.claim(1000);
        queue.submit("last");

        long idle = config.idleExpiry().toMillis();
        Map<String, Long> left = storedKeys(config);
        assertThat(left).as("records at the end (seed %d)", seed).isNotEmpty();
        assertThat(left).allSatisfy((key, ttl) -> assertThat(ttl)
                .as("%s lives from the idle expiry to a tenth more after the last write", key)
                .isBetween(idle - PATIENCE.toMillis(), idle + idle / 10));
    }

    // --- concurrency and fencing

    @Test
    void concurrentClaimsFromTwoInstancesClaimEveryTaskExactlyOnce() throws Exception {
        TaskQueueConfig config = config(b -> b.visibilityTimeout(Duration.ofSeconds(60)));
        List<TaskQueue> instances = List.of(createQueue(config), createQueue(config));
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            submitted.add(instances.get(0).submit("task " + i).id());
        }
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService executor = threads(16);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            TaskQueue instance = instances.get(t % 2);
            int batch = 1 + t % 4;
            work.add(executor.submit(() -> {
                while (completed.get() < 500) {
                    for (ClaimedTask task : instance.claim(batch, Duration.ofMillis(200))) {
                        claims.computeIfAbsent(task.id(), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (instance.complete(task, task.payload())) {
                            completed.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertThat(claims.keySet()).isEqualTo(submitted);
        assertThat(claims.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(refused.get()).isZero();
        TaskQueueStats stats = instances.get(1).stats();
        assertThat(stats.submitted()).isEqualTo(500);
        assertThat(stats.completed()).isEqualTo(500);
        assertThat(stats.waiting()).isZero();
        assertThat(stats.running()).isZero();
        assertThat(stats.expired()).isZero();
        assertThat(stats.finished()).isEqualTo(500);
    }

    @Test
    void tokensIncreaseAfterTheBackendLostTheQueue() {
        TaskQueue queue = queue();
        queue.submit("before");
        ClaimedTask before = claimOne(queue);
        queue.complete(before, "ok");

        loseQueue(queue.config());
        queue.submit("after");
        ClaimedTask after = claimOne(queue);

        assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
        assertThat(after.attempt()).isEqualTo(1);
    }

    // --- workers and stats

    @Test
    void announcedWorkersCountAsLiveUntilTheyStopOrTheirPresenceEnds() {
        TaskQueue queue = queue();

        assertThat(queue.announce("worker-1", Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(queue.announce("worker-2", Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(queue.announce("worker-2", Duration.ofSeconds(30)))
                .as("announced again")
                .isEqualTo(2);
        assertThat(queue.announce("worker-1", Duration.ZERO))
                .as("worker-1 stopped")
                .isEqualTo(1);
        assertThat(queue.announce("worker-3", Duration.ofMillis(300))).isEqualTo(2);
        assertThat(queue.stats().liveWorkers()).isEqualTo(2);

        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> queue.stats().liveWorkers() == 1);
        assertThat(queue.announce("worker-2", Duration.ofSeconds(30))).isEqualTo(1);
    }

    @Test
    void statsCountTasksByStateAndCountWhatHappened() {
        TaskQueue queue = queue(b -> b.backoff(Backoff.fixed(Duration.ofSeconds(60))));
        TaskQueueStats empty = queue.stats();
        assertThat(empty).isEqualTo(new TaskQueueStats(0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 0));
        queue.submit("running", id("running").priority(5));
        queue.submit("completed", id("completed").priority(4));
        queue.submit("dead", id("dead").priority(3));
        queue.submit("retried", id("retried").priority(2));
        queue.submit("waiting", id("waiting"));
        queue.submit("delayed", id("delayed").delay(Duration.ofSeconds(60)));
        List<ClaimedTask> claimed = queue.claim(4);
        assertThat(claimed).extracting(ClaimedTask::id).containsExactly("running", "completed", "dead", "retried");
        queue.complete(claimed.get(1), "ok");
        queue.fail(claimed.get(2), "fatal", Retry.NEVER);
        assertThat(queue.fail(claimed.get(3), "transient")).contains(TaskState.DELAYED);
        queue.announce("worker-1", Duration.ofSeconds(30));

        TaskQueueStats stats = queue.stats();

        assertThat(stats.waiting()).as("waiting").isEqualTo(1);
        assertThat(stats.delayed()).as("delayed").isEqualTo(2);
        assertThat(stats.running()).as("running").isEqualTo(1);
        assertThat(stats.dead()).as("dead").isEqualTo(1);
        assertThat(stats.finished()).as("finished").isEqualTo(2);
        assertThat(stats.liveWorkers()).as("live workers").isEqualTo(1);
        assertThat(stats.oldestWaiting()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(stats.submitted()).as("submitted").isEqualTo(6);
        assertThat(stats.completed()).as("completed").isEqualTo(1);
        assertThat(stats.failed()).as("failed").isEqualTo(2);
        assertThat(stats.retried()).as("retried").isEqualTo(1);
        assertThat(stats.died()).as("died").isEqualTo(1);
        assertThat(stats.expired()).as("expired").isZero();
        assertThat(stats.requeued()).as("requeued").isZero();
    }

    // --- invalid input

    private static void assertInvalid(ThrowingCallable call, String setting, String named) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.setting())
                        .isEqualTo(setting))
                .hasMessageContaining(named);
    }

    @Test
    void invalidTaskIdsAreRejectedNamingTheIdBeforeTheBackendIsTouched() {
        TaskQueue queue = queue();
        for (String bad : List.of("a b", "x|y", "", "{tag}", "a".repeat(201))) {
            String named = "'" + bad + "'";
            assertInvalid(() -> id(bad), "taskId", named);
            assertInvalid(() -> queue.status(bad), "taskId", named);
            assertInvalid(() -> queue.requeue(bad), "taskId", named);
            assertInvalid(() -> queue.awaitFinished(bad, Duration.ZERO), "taskId", named);
        }
        assertInvalid(() -> queue.status(null), "taskId", "null");

        assertThat(storedKeys(queue.config())).isEmpty();
    }

    @Test
    void invalidSubmitOptionsAndPayloadsAreRejectedNamingTheValueBeforeTheBackendIsTouched() {
        TaskQueue queue = queue(b -> b.idleExpiry(Duration.ofDays(8)));

        assertInvalid(() -> SubmitOptions.defaults().priority(-1), "priority", "-1");
        assertInvalid(() -> SubmitOptions.defaults().priority(1001), "priority", "1001");
        assertInvalid(() -> SubmitOptions.defaults().delay(Duration.ofMillis(-1)), "delay", "PT-0.001S");
        assertInvalid(() -> SubmitOptions.defaults().delay(null), "delay", "null");
        assertInvalid(() -> queue.submit("p", SubmitOptions.defaults().delay(Duration.ofDays(9))), "delay", "PT216H");
        assertInvalid(() -> queue.submit(null), "payload", "payload");
        assertInvalid(() -> queue.submit("p", null), "options", "options");

        assertThat(storedKeys(queue.config())).isEmpty();
    }

    @Test
    void invalidClaimsAndPagesAreRejectedNamingTheValueBeforeTheBackendIsTouched() {
        TaskQueue queue = queue();

        assertInvalid(() -> queue.claim(0), "maxTasks", "0");
        assertInvalid(() -> queue.claim(1001), "maxTasks", "1001");
        assertInvalid(() -> queue.claim(1, Duration.ofMillis(-1)), "waitTimeout", "PT-0.001S");
        assertInvalid(() -> queue.dead(-1, 10), "offset", "-1");
        assertInvalid(() -> queue.dead(0, 0), "count", "0");
        assertInvalid(() -> queue.announce("a b", Duration.ofSeconds(1)), "instanceId", "a b");
        assertInvalid(() -> queue.announce("worker-1", Duration.ofMillis(-1)), "presence", "PT-0.001S");
        assertInvalid(() -> queue.result("t", Duration.ofMillis(-1)), "timeout", "PT-0.001S");

        assertThat(storedKeys(queue.config())).isEmpty();
    }

    @Test
    void anInvalidCompleteAndClaimIsRejectedNamingTheValueAndNeitherCompletesNorClaims() {
        TaskQueue queue = queue();
        queue.submit("one");
        String waiting = queue.submit("two").id();
        ClaimedTask task = claimOne(queue);

        assertInvalid(() -> queue.completeAndClaim(task, "r", -1), "maxTasks", "-1");
        assertInvalid(() -> queue.completeAndClaim(task, "r", 1001), "maxTasks", "1001");

        assertThat(task.isHeld()).isTrue();
        assertThat(state(queue, task.id())).isEqualTo(TaskState.RUNNING);
        assertThat(state(queue, waiting)).isEqualTo(TaskState.WAITING);
    }

    @Test
    void progressAndPageOffsetsBeyondWhatTheBackendCountsExactlyAreRejected() {
        TaskQueue queue = queue();
        queue.submit("p");
        ClaimedTask task = claimOne(queue);

        assertInvalid(() -> queue.progress(task, 0, Long.MAX_VALUE), "total", Long.toString(Long.MAX_VALUE));
        assertInvalid(() -> queue.dead(Long.MAX_VALUE, 10), "offset", Long.toString(Long.MAX_VALUE));

        assertThat(queue.progress(task, 1L << 52, 1L << 53)).isTrue();
        TaskStatus status = queue.status(task.id()).orElseThrow();
        assertThat(status.progress()).isEqualTo(1L << 52);
        assertThat(status.total()).isEqualTo(1L << 53);
        assertThat(queue.dead(Integer.MAX_VALUE, 10).tasks()).isEmpty();
    }

    @Test
    void aTaskClaimedFromAnotherQueueIsRejectedAndLeftRunningThere() {
        TaskQueue queue = queue();
        TaskQueue other = createQueue(TaskQueueConfig.builder(name + "-other")
                .visibilityTimeout(Duration.ofSeconds(30))
                .build());
        String id = other.submit("theirs").id();
        ClaimedTask theirs = claimOne(other);

        assertInvalid(() -> queue.complete(theirs, "r"), "task", id);
        assertInvalid(() -> queue.fail(theirs, "e"), "task", id);
        assertInvalid(() -> queue.extend(theirs), "task", id);
        assertInvalid(() -> queue.progress(theirs, 1, 2), "task", id);
        assertInvalid(() -> queue.complete(null, "r"), "task", "null");
        assertInvalid(() -> other.progress(theirs, 3, 2), "current", "3");
        assertInvalid(() -> other.extend(theirs, Duration.ofMillis(1)), "visibilityTimeout", "PT0.001S");

        assertThat(state(other, id)).isEqualTo(TaskState.RUNNING);
        assertThat(storedKeys(queue.config())).isEmpty();
        assertThat(other.complete(theirs, "r")).isTrue();
    }

    @Test
    void invalidConfigurationsAreRejectedNamingTheSetting() {
        assertInvalid(() -> config(b -> b.visibilityTimeout(Duration.ofMillis(29))), "visibilityTimeout", "PT0.029S");
        assertInvalid(() -> config(b -> b.maxAttempts(0)), "maxAttempts", "0");
        assertInvalid(() -> config(b -> b.maxAttempts(1001)), "maxAttempts", "1001");
        assertInvalid(
                () -> config(b -> b.retention(Duration.ofDays(2)).idleExpiry(Duration.ofDays(1))),
                "idleExpiry",
                "PT24H");
        assertInvalid(() -> config(b -> b.backoff(null)), "backoff", "backoff");
        assertInvalid(() -> TaskQueueConfig.builder("a b").build(), "name", "a b");
        assertInvalid(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0), "max", "PT1S");
        assertInvalid(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0), "multiplier", "0.5");
        assertInvalid(() -> Retry.after(Duration.ofMillis(-1)), "delay", "PT-0.001S");
        assertInvalid(
                () -> config(b -> b.backoff(Backoff.fixed(Duration.ofHours(2))).idleExpiry(Duration.ofHours(1))),
                "idleExpiry",
                "PT1H");
        assertInvalid(
                () -> config(b -> b.visibilityTimeout(Duration.ofHours(2))
                        .retention(Duration.ofMinutes(1))
                        .deadRetention(Duration.ofMinutes(1))
                        .idleExpiry(Duration.ofHours(1))),
                "idleExpiry",
                "PT1H");
    }

    @Test
    void aRetryWaitingLongerThanTheIdleExpiryIsRejectedAndTheTaskKeepsRunning() {
        TaskQueue queue = queue(b -> b.retention(Duration.ofMinutes(1))
                .deadRetention(Duration.ofMinutes(1))
                .idleExpiry(Duration.ofMinutes(1)));
        String id = queue.submit("x").id();
        ClaimedTask task = queue.claim(1).get(0);

        assertInvalid(() -> queue.fail(task, "e", Retry.after(Duration.ofMinutes(2))), "retry", "PT2M");

        assertThat(state(queue, id)).isEqualTo(TaskState.RUNNING);
        assertThat(queue.complete(task, "r")).isTrue();
    }

    @Test
    void aWaitingClaimerTakesATimedOutTaskSoonAfterItsDeadlineNotAtItsPollBound() {
        TaskQueue queue = queue(b -> b.visibilityTimeout(SHORT_VISIBILITY).pollBound(Duration.ofSeconds(30)));
        queue.submit("x");
        ClaimedTask first = queue.claim(1).get(0);
        long start = System.nanoTime();

        List<ClaimedTask> again = queue.claim(1, Duration.ofSeconds(20));

        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempt()).isEqualTo(2);
        assertThat(again.get(0).fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
