package io.github.idallocator.tasks.fault;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueueStats;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskStatus;
import io.github.idallocator.test.ErrorPolicy;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three worker processes of eight handler threads each run 10,000 tasks under a 1 s visibility timeout while, at
 * random, two workers are killed with {@code kill -9} (a spare started beforehand joins) and four are stopped with
 * SIGSTOP for 2 to 3 s and continued: one of each first, then in random order, 0.3 to 1 s apart, each on a worker that
 * already runs tasks. Each handler logs its start (id, token, attempt) and works 0 to 10 ms, a later attempt 0 to 3 s
 * (its claim extended meanwhile); the producers keep the queue short, so a task taken back from a lost worker is
 * claimed again soon. A late completion of an earlier claim then tends to arrive while the current claim runs, where
 * only the token tells them apart. Each worker logs, once {@code complete} returned, whether it was accepted; the result
 * of a task names the process and token that completed it.
 *
 * <p>Afterwards every task is completed, each at least once started, and completed exactly once by its current claim:
 * the token that completed it is the last token any worker started it with, no other completion of it was accepted, and
 * every refused completion came from an older claim. A completion a worker never heard of (its process was killed, or
 * the call timed out) still shows in the result. The faults took claims from workers (attempts expired); the duplicate
 * executions and refused completions are reported ({@link TaskLostClaimFaultTest} pins a refused late completion).
 */
class TaskExactlyOnceFaultTest {

    private static final int TASKS = 10_000;
    private static final int WORKERS = 3;
    private static final int THREADS = 8;
    private static final Duration WORK = Duration.ofMillis(10);
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static final Duration RETRY_WORK = VISIBILITY.multipliedBy(3);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(50);
    private static final int SUBMITTERS = 16;
    private static final int MAX_BACKLOG = 50;
    private static final int EXAMPLES = 10;

    @Test
    void everyTaskIsCompletedExactlyOnceByItsCurrentTokenWhileWorkersAreKilledAndPaused() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (TaskScenario scenario = new TaskScenario("tasks-exactly-once", VISIBILITY)) {
            RedisTaskQueue queue = scenario.queue();
            List<WorkerProcess> live = new ArrayList<>();
            for (int i = 1; i <= WORKERS; i++) {
                live.add(scenario.start("worker-" + i, THREADS, WORK, RETRY_WORK, false));
            }
            int started = WORKERS + 1;
            WorkerProcess spare = scenario.start("worker-" + started, THREADS, WORK, RETRY_WORK, true);
            long start = System.nanoTime();
            AtomicLong submitted = new AtomicLong();
            ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
            List<Future<?>> submissions = submitAll(queue, submitters, submitted);
            for (WorkerProcess worker : live) {
                worker.awaitReady(TaskScenario.PROCESS_TIMEOUT);
            }

            List<Boolean> kills = new ArrayList<>(List.of(true, false)); // one of each first, should the run be short
            Collections.shuffle(kills, random);
            List<Boolean> more = new ArrayList<>(List.of(true, false, false, false));
            Collections.shuffle(more, random);
            kills.addAll(more);
            Set<String> killed = new HashSet<>();
            int pauses = 0;
            while (queue.stats().completed() < TASKS) {
                if (System.nanoTime() - start > RUN_TIMEOUT.toNanos()) {
                    throw new AssertionError("Not all tasks completed within " + RUN_TIMEOUT + ": " + queue.stats());
                }
                for (Future<?> submission : submissions) {
                    if (submission.isDone()) {
                        submission.get(); // a failed submission fails the test here
                    }
                }
                TaskScenario.sleep(Duration.ofMillis(300 + random.nextInt(700)));
                int faults = killed.size() + pauses;
                List<WorkerProcess> busy = live.stream()
                        .filter(TaskExactlyOnceFaultTest::hasRunTasks)
                        .toList();
                if (faults == kills.size() || busy.isEmpty() || queue.stats().completed() >= TASKS) {
                    continue;
                }
                WorkerProcess victim = busy.get(random.nextInt(busy.size()));
                if (kills.get(faults)) {
                    victim.kill9();
                    killed.add(victim.name());
                    live.remove(victim);
                    spare.awaitReady(TaskScenario.PROCESS_TIMEOUT);
                    spare.command("go", TaskScenario.COMMAND_TIMEOUT);
                    live.add(spare);
                    spare = scenario.start("worker-" + ++started, THREADS, WORK, RETRY_WORK, true);
                } else {
                    victim.pause();
                    TaskScenario.sleep(VISIBILITY.plusMillis(1000 + random.nextInt(1000)));
                    victim.resume();
                    pauses++;
                }
            }
            long completed = System.nanoTime();
            for (Future<?> submission : submissions) {
                submission.get();
            }
            submitters.shutdown();
            TaskQueueStats stats = queue.stats();
            Map<String, TaskStatus> statuses = new HashMap<>();
            for (int i = 0; i < TASKS; i++) {
                String id = id(i);
                queue.status(id).ifPresent(status -> statuses.put(id, status));
            }
            scenario.stopAll();

            Outcome outcome = check(scenario.logs(), statuses, killed);
            System.out.printf(
                    "tasks-exactly-once (seed %d): %d tasks submitted (by %d threads, while the workers ran) in %d ms, completed %d ms after the first "
                            + "submit; faults: %d kill -9, %d SIGSTOP > %s; %d starts, %d tasks executed more than "
                            + "once, %d completions refused, %d completions the worker never confirmed; queue: %d "
                            + "attempts expired, %d completed%n",
                    seed,
                    TASKS,
                    SUBMITTERS,
                    (submitted.get() - start) / 1_000_000,
                    (completed - start) / 1_000_000,
                    killed.size(),
                    pauses,
                    VISIBILITY,
                    outcome.starts,
                    outcome.duplicates,
                    outcome.refused,
                    outcome.unconfirmed,
                    stats.expired(),
                    stats.completed());

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(killed).as("workers killed").isNotEmpty();
            softly.assertThat(pauses)
                    .as("workers paused past the visibility timeout")
                    .isPositive();
            softly.assertThat(stats.completed())
                    .as("completions the queue counted")
                    .isEqualTo(TASKS);
            softly.assertThat(stats.expired())
                    .as("attempts taken back after their deadline")
                    .isPositive();
            outcome.violations.forEach(
                    (what, examples) -> softly.assertThat(examples).as(what).isEmpty());
            FaultLogs.Violations errors = scenario.logs()
                    .errorViolations(ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                            .allowSubtypes(RedisUnavailableException.class.getName(), true));
            softly.assertThat(errors.count()).as(errors.toString()).isZero();
            softly.assertThat(scenario.libraryErrors())
                    .as("errors the library logged in the workers")
                    .isEmpty();
            softly.assertAll();
        }
    }

    /** What the logs and the final statuses say, and each violated rule with a few examples. */
    private record Outcome(
            long starts, long duplicates, long refused, long unconfirmed, Map<String, List<String>> violations) {}

    /** One logged event of a task: who, with which token, what (START or DONE and its answer). */
    private record Step(String process, long token, String what) {}

    private static Outcome check(FaultLogs logs, Map<String, TaskStatus> statuses, Set<String> killed) {
        Map<String, List<Step>> starts = new HashMap<>();
        Map<String, List<Step>> dones = new HashMap<>();
        long startCount = 0;
        for (FaultLogs.Event event : logs.events("MARK")) {
            String kind = event.field(0);
            if (kind.equals("START") || kind.equals("DONE")) {
                Step step = new Step(
                        event.process(), Long.parseLong(event.field(2)), kind.equals("START") ? "" : event.field(3));
                (kind.equals("START") ? starts : dones)
                        .computeIfAbsent(event.field(1), id -> new ArrayList<>())
                        .add(step);
                startCount += kind.equals("START") ? 1 : 0;
            }
        }
        Map<String, List<String>> violations = new java.util.LinkedHashMap<>();
        for (String rule : List.of(
                "tasks not completed",
                "tasks never started",
                "tasks completed by a claim no worker started",
                "tasks completed by a claim older than the last one started",
                "tasks with more than one accepted completion",
                "accepted completions by another claim than the result's",
                "refused completions from the completing claim or a newer one",
                "completions nobody confirmed, by a worker neither killed nor told of an error")) {
            violations.put(rule, new ArrayList<>());
        }
        long duplicates = 0;
        long refused = 0;
        long unconfirmed = 0;
        for (int i = 0; i < TASKS; i++) {
            String id = id(i);
            List<Step> started = starts.getOrDefault(id, List.of());
            List<Step> done = dones.getOrDefault(id, List.of());
            duplicates += started.size() > 1 ? 1 : 0;
            refused += done.stream().filter(d -> d.what().equals("false")).count();
            if (started.isEmpty()) {
                add(violations, "tasks never started", id);
            }
            TaskStatus status = statuses.get(id);
            if (status == null || status.state() != TaskState.COMPLETED || status.result() == null) {
                add(violations, "tasks not completed", id + ": " + status);
                continue;
            }
            String[] completer = status.result().split("/");
            Step completion = new Step(completer[0], Long.parseLong(completer[1]), "");
            if (!started.contains(completion)) {
                add(violations, "tasks completed by a claim no worker started", id + " by " + completion);
            }
            long lastToken = started.stream().mapToLong(Step::token).max().orElse(Long.MIN_VALUE);
            if (completion.token() != lastToken) {
                add(
                        violations,
                        "tasks completed by a claim older than the last one started",
                        id + " by " + completion + ", started " + started);
            }
            List<Step> accepted =
                    done.stream().filter(d -> d.what().equals("true")).toList();
            if (accepted.size() > 1) {
                add(violations, "tasks with more than one accepted completion", id + ": " + accepted);
            }
            for (Step step : accepted) {
                if (!step.process().equals(completion.process()) || step.token() != completion.token()) {
                    add(
                            violations,
                            "accepted completions by another claim than the result's",
                            id + ": " + step + ", result " + status.result());
                }
            }
            for (Step step : done) {
                if (step.what().equals("false") && step.token() >= completion.token()) {
                    add(
                            violations,
                            "refused completions from the completing claim or a newer one",
                            id + ": " + step + ", result " + status.result());
                }
            }
            if (accepted.isEmpty()) {
                unconfirmed++;
                Optional<Step> error = done.stream()
                        .filter(d -> d.what().equals("error")
                                && d.process().equals(completion.process())
                                && d.token() == completion.token())
                        .findAny();
                if (error.isEmpty() && !killed.contains(completion.process())) {
                    add(
                            violations,
                            "completions nobody confirmed, by a worker neither killed nor told of an error",
                            id + " by " + completion);
                }
            }
        }
        return new Outcome(startCount, duplicates, refused, unconfirmed, violations);
    }

    private static void add(Map<String, List<String>> violations, String rule, String example) {
        List<String> examples = violations.get(rule);
        if (examples.size() < EXAMPLES) {
            examples.add(example);
        }
    }

    /**
     * Submits every task on {@code pool}, keeping at most about {@value #MAX_BACKLOG} waiting (a task taken back from a
     * lost worker goes behind the waiting ones: a short queue lets the next claim take it soon after its deadline, while
     * the lost worker may still complete it); records in {@code done} when the last submission returned.
     */
    private static List<Future<?>> submitAll(RedisTaskQueue queue, ExecutorService pool, AtomicLong done) {
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                for (int i = first; i < TASKS; i += SUBMITTERS) {
                    while ((i / SUBMITTERS) % 20 == 0 && queue.stats().waiting() > MAX_BACKLOG) {
                        TaskScenario.sleep(Duration.ofMillis(10));
                    }
                    queue.submit("payload-" + i, SubmitOptions.defaults().taskId(id(i)));
                }
                done.accumulateAndGet(System.nanoTime(), Math::max);
            }));
        }
        return parts;
    }

    /** Whether the worker started a task yet: a fault then hits a JVM that works, not one still warming up. */
    private static boolean hasRunTasks(WorkerProcess worker) {
        try {
            return Files.size(worker.directory().resolve("events-" + worker.name() + ".log")) > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String id(int index) {
        return String.format("task-%05d", index);
    }
}
