package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path LOGS = Path.of("target", "workers", "WorkerProcessTest");

    private static WorkerProcess start(String name, long firstId) {
        return WorkerProcess.builder(name, SampleWorker.class)
                .parentDirectory(LOGS)
                .arguments(name, Long.toString(firstId))
                .start();
    }

    @Test
    void workerRunsOnThisClassPathAndAnswersCommands() {
        try (WorkerProcess worker = start("answers", 0)) {
            assertThat(worker.awaitReady(TIMEOUT)).isEqualTo("READY pid=" + worker.pid());

            assertThat(worker.command("echo hello there", TIMEOUT)).isEqualTo("DONE 1 echo hello there");
            assertThat(worker.outputLines()).contains("ECHO hello there");
            assertThatThrownBy(() -> worker.command("no-such-command", TIMEOUT))
                    .hasMessageContaining("FAILED 2 unknown command");

            assertThat(worker.stop(TIMEOUT)).isZero();
            assertThat(worker.isAlive()).isFalse();
        }
    }

    @Test
    void pausedWorkerAnswersOnlyAfterResume() {
        try (WorkerProcess worker = start("paused", 0)) {
            worker.awaitReady(TIMEOUT);
            worker.pause();
            assertThat(worker.isPaused()).isTrue();
            worker.send("echo while-paused");

            Waiting.sleep(Duration.ofMillis(500));
            assertThat(worker.outputLines()).doesNotContain("ECHO while-paused");

            worker.resume();
            worker.awaitOutput(line -> line.equals("ECHO while-paused"), TIMEOUT);
            assertThat(worker.isAlive()).isTrue();
        }
    }

    @Test
    void kill9EndsEvenAPausedWorker() {
        try (WorkerProcess worker = start("killed", 0)) {
            worker.awaitReady(TIMEOUT);
            worker.pause();

            worker.kill9();

            assertThat(worker.isAlive()).isFalse();
            assertThat(worker.awaitExit(TIMEOUT)).isEqualTo(137);
        }
    }

    @Test
    void closeKillsAWorkerStillRunning() {
        WorkerProcess worker = start("closed", 0);
        worker.awaitReady(TIMEOUT);

        worker.close();

        assertThat(worker.isAlive()).isFalse();
    }

    @Test
    void logsOfSeveralWorkersMerge() {
        Path logs = LOGS.resolve("merge");
        try (WorkerProcess first = WorkerProcess.builder("first", SampleWorker.class)
                        .parentDirectory(logs)
                        .arguments("first", "0")
                        .start();
                WorkerProcess second = WorkerProcess.builder("second", SampleWorker.class)
                        .parentDirectory(logs)
                        .arguments("second", "90")
                        .start()) {
            first.awaitReady(TIMEOUT);
            second.awaitReady(TIMEOUT);
            first.command("ids 100", TIMEOUT); // 0..99
            second.command("ids 20", TIMEOUT); // 90..109: 10 duplicates
            first.command("hold 7 1 60000", TIMEOUT);
            second.command("hold 7 2 60000", TIMEOUT); // overlaps the first hold
            first.command("fail", TIMEOUT);
            second.kill9(); // ids are written out every few ms: none is lost
            first.stop(TIMEOUT);
        }

        FaultLogs merged = FaultLogs.read(logs);

        assertThat(merged.idCounts()).containsEntry("first", 100).containsEntry("second", 20);
        assertThat(merged.duplicateIds().count()).isEqualTo(10);
        assertThat(merged.overlappingHolds("r").count()).isEqualTo(1);
        assertThat(merged.errorViolations(ErrorPolicy.subtypesOf("java.lang.RuntimeException")
                                .allow(IllegalStateException.class, false))
                        .count())
                .isEqualTo(1); // IllegalStateException has no isRetryable()
    }
}
