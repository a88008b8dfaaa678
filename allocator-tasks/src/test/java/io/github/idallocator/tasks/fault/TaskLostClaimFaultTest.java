package io.github.idallocator.tasks.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskStatus;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerProcess;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A worker process claims a task and is lost before completing it: killed with {@code kill -9}, or stopped with
 * SIGSTOP. The task stays with it until its visibility timeout passed, then goes to the next claimer with the next
 * attempt and a greater token; a paused worker continued after that has its late completion refused, and the task's
 * result is the new claimer's.
 */
class TaskLostClaimFaultTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final Duration CLAIM_WAIT = VISIBILITY.plusSeconds(10);

    @Test
    void aTaskWhoseWorkerWasKilledAfterClaimingItGoesToTheNextClaimerAfterTheVisibilityTimeout() {
        try (TaskScenario scenario = new TaskScenario("tasks-killed-claimer", VISIBILITY)) {
            RedisTaskQueue queue = scenario.queue();
            WorkerProcess victim = scenario.start("victim");
            victim.awaitReady(TaskScenario.PROCESS_TIMEOUT);
            String id = queue.submit("payload").id();
            Claimed first = claim(victim);

            victim.kill9();
            long killedAt = System.nanoTime();
            List<ClaimedTask> beforeDeadline = queue.claim(1);
            List<ClaimedTask> again = queue.claim(1, CLAIM_WAIT);
            long claimedAgainAt = System.nanoTime();
            TaskStatus running = queue.status(id).orElseThrow();
            boolean completed = !again.isEmpty() && queue.complete(again.get(0), "second");
            TaskStatus finished = queue.status(id).orElseThrow();
            scenario.stopAll();

            long sentAt = sentNanos(scenario.logs(), first);
            System.out.println("tasks-killed-claimer: claim sent -> kill " + (killedAt - sentAt) / 1_000_000
                    + " ms, claim sent -> claimed again " + (claimedAgainAt - sentAt) / 1_000_000 + " ms");
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(first).as("the victim's claim").isEqualTo(new Claimed(id, first.token(), 1));
            softly.assertThat(beforeDeadline)
                    .as("tasks claimable right after the kill")
                    .isEmpty();
            softly.assertThat(again).as("the next claim").singleElement().satisfies(task -> {
                assertThat(task.id()).isEqualTo(id);
                assertThat(task.attempt()).as("attempt").isEqualTo(2);
                assertThat(task.fencingToken()).as("token").isGreaterThan(first.token());
            });
            softly.assertThat(Duration.ofNanos(claimedAgainAt - sentAt))
                    .as("from the victim's claim to the next claim")
                    .isGreaterThanOrEqualTo(VISIBILITY);
            softly.assertThat(Duration.ofNanos(claimedAgainAt - killedAt))
                    .as("from the kill to the next claim")
                    .isLessThanOrEqualTo(VISIBILITY.plus(MARGIN));
            softly.assertThat(running.state()).as("state after the next claim").isEqualTo(TaskState.RUNNING);
            softly.assertThat(running.owner()).as("owner after the next claim").isEqualTo("test");
            softly.assertThat(completed).as("the next claimer's completion").isTrue();
            softly.assertThat(finished.state()).as("final state").isEqualTo(TaskState.COMPLETED);
            softly.assertThat(finished.attempt()).as("final attempt").isEqualTo(2);
            softly.assertThat(finished.result()).as("result").isEqualTo("second");
            softly.assertAll();
        }
    }

    @Test
    void aWorkerPausedPastTheVisibilityTimeoutHasItsLateCompletionRefusedAndTheNextClaimersResultStands() {
        try (TaskScenario scenario = new TaskScenario("tasks-paused-claimer", VISIBILITY)) {
            RedisTaskQueue queue = scenario.queue();
            WorkerProcess victim = scenario.start("victim");
            victim.awaitReady(TaskScenario.PROCESS_TIMEOUT);
            String id = queue.submit("payload").id();
            Claimed first = claim(victim);

            victim.pause();
            List<ClaimedTask> again = queue.claim(1, CLAIM_WAIT);
            victim.resume();
            victim.command("complete " + id, TaskScenario.COMMAND_TIMEOUT);
            String lateAnswer = lastLine(victim, "COMPLETED ");
            TaskStatus afterLate = queue.status(id).orElseThrow();
            boolean completed = !again.isEmpty() && queue.complete(again.get(0), "second");
            TaskStatus finished = queue.status(id).orElseThrow();
            scenario.stopAll();

            List<FaultLogs.Event> done = scenario.logs().marks("DONE");
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(again).as("the next claim").singleElement().satisfies(task -> {
                assertThat(task.id()).isEqualTo(id);
                assertThat(task.attempt()).as("attempt").isEqualTo(2);
                assertThat(task.fencingToken()).as("token").isGreaterThan(first.token());
            });
            softly.assertThat(lateAnswer)
                    .as("the paused worker's completion, once continued")
                    .isEqualTo("COMPLETED " + id + " false");
            softly.assertThat(done)
                    .as("completions the paused worker logged")
                    .singleElement()
                    .satisfies(e -> assertThat(e.rest(1)).isEqualTo(id + " " + first.token() + " false"));
            softly.assertThat(afterLate.state())
                    .as("state after the late completion")
                    .isEqualTo(TaskState.RUNNING);
            softly.assertThat(afterLate.owner())
                    .as("owner after the late completion")
                    .isEqualTo("test");
            softly.assertThat(completed).as("the next claimer's completion").isTrue();
            softly.assertThat(finished.state()).as("final state").isEqualTo(TaskState.COMPLETED);
            softly.assertThat(finished.attempt()).as("final attempt").isEqualTo(2);
            softly.assertThat(finished.result()).as("result").isEqualTo("second");
            softly.assertAll();
        }
    }

    /** A claim a worker process made: {@code CLAIMED <id> <token> <attempt>}. */
    private record Claimed(String id, long token, int attempt) {}

    private static Claimed claim(WorkerProcess worker) {
        worker.command("claim 0", TaskScenario.COMMAND_TIMEOUT);
        String[] words = lastLine(worker, "CLAIMED ").split(" ");
        if (words.length < 4) {
            throw new AssertionError(worker.name() + " claimed nothing");
        }
        return new Claimed(words[1], Long.parseLong(words[2]), Integer.parseInt(words[3]));
    }

    private static String lastLine(WorkerProcess worker, String prefix) {
        return worker.outputLines().stream()
                .filter(line -> line.startsWith(prefix))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(worker.name() + " printed no " + prefix + worker.outputTail()));
    }

    /** When the worker sent its claim ({@code MARK CLAIMED <id> <token> <attempt> <sentNanos>}). */
    private static long sentNanos(FaultLogs logs, Claimed claim) {
        return logs.marks("CLAIMED").stream()
                .filter(e -> e.field(1).equals(claim.id()) && Long.parseLong(e.field(2)) == claim.token())
                .mapToLong(e -> Long.parseLong(e.field(4)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No CLAIMED event for " + claim));
    }
}
