package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group of worker processes: an empty log directory, stopping all, failures, merged logs, closing. */
class WorkerGroupTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Path directory(String test) {
        return Path.of("target", "workers", "WorkerGroupTest", test).toAbsolutePath();
    }

    private static WorkerProcess start(WorkerGroup group, String name) {
        WorkerProcess worker = group.start(name, SampleWorker.class, List.of(name, "0"));
        worker.awaitReady(TIMEOUT);
        return worker;
    }

    @Test
    void aNewGroupStartsFromAnEmptyDirectory() throws IOException {
        Path directory = directory("empty");
        Files.createDirectories(directory.resolve("old-worker"));
        Files.writeString(directory.resolve("old-worker").resolve("events.log"), "left from an earlier run");

        try (WorkerGroup group = new WorkerGroup(directory)) {
            assertThat(group.directory()).doesNotExist();
            start(group, "new").command("ids 1", TIMEOUT);
            WorkerGroup.await(
                    "the new worker's id in the logs",
                    TIMEOUT,
                    () -> group.logs().ids("new").length == 1);

            assertThat(group.logs().idCounts()).containsOnlyKeys("new");
        }
    }

    @Test
    void stopAllResumesAPausedWorkerAndStopsEveryLiveOne() {
        try (WorkerGroup group = new WorkerGroup(directory("stop"))) {
            WorkerProcess running = start(group, "running");
            WorkerProcess paused = start(group, "paused");
            paused.pause();

            group.stopAll();

            assertThat(group.workers()).containsExactly(running, paused);
            assertThat(running.isAlive()).isFalse();
            assertThat(paused.isAlive()).isFalse();
        }
    }

    @Test
    void stopAllFailsNamingAWorkerThatFailedOnItsOwn() {
        try (WorkerGroup group = new WorkerGroup(directory("failed"))) {
            start(group, "fine");
            WorkerProcess crashed = start(group, "crashed");
            crashed.command("crash-thread", TIMEOUT);

            assertThatThrownBy(group::stopAll)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Worker crashed failed");
        }
    }

    @Test
    void theLogsOfEveryWorkerMergeAndCloseKillsWhatIsLeft() {
        WorkerProcess left;
        try (WorkerGroup group = new WorkerGroup(directory("logs"))) {
            start(group, "a").command("ids 3", TIMEOUT);
            left = start(group, "b");
            left.command("ids 2", TIMEOUT);

            // a worker writes its ids every 20 ms
            WorkerGroup.await(
                    "the ids of both workers in the logs",
                    TIMEOUT,
                    () -> group.logs().ids("b").length == 2);
            FaultLogs logs = group.logs();

            assertThat(logs.ids("a")).hasSize(3);
            assertThat(logs.ids("b")).hasSize(2);
        }
        assertThat(left.isAlive()).isFalse();
    }
}
