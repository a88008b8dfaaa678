package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.launcher.Waiting;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            assertThat(worker.isStoppedBySignal()).isTrue();
            worker.send("echo while-paused");

            Waiting.sleep(Duration.ofMillis(500));
            assertThat(worker.outputLines()).doesNotContain("ECHO while-paused");

            assertThat(worker.isStoppedBySignal()).isTrue();
            worker.resume();
            assertThat(worker.isStoppedBySignal()).isFalse();
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
    void aWorkerWithAnUncaughtExceptionHasFailedOneKilledHasNot() {
        try (WorkerProcess crashed = start("crashed", 0);
                WorkerProcess killed = start("killed-not-failed", 0)) {
            crashed.awaitReady(TIMEOUT);
            killed.awaitReady(TIMEOUT);
            assertThat(crashed.hasFailed()).isFalse();

            crashed.command("crash-thread", TIMEOUT);
            killed.kill9();

            assertThat(crashed.hasFailed()).isTrue();
            assertThat(killed.hasFailed()).isFalse();
            assertThat(killed.wasKilled()).isTrue();
        }
    }

    @Test
    void aManifestOnlyJarOnTheClassPathIsReplacedByItsEntries(@TempDir Path directory) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar classes/");
        Path jar = directory.resolve("booter.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("META-INF/maven/nothing.txt"));
        }
        String classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", jar + File.pathSeparator + "other-classes");
        try {
            assertThat(WorkerProcess.currentClassPath())
                    .containsExactly(
                            directory.resolve("lib").resolve("a.jar").toString(),
                            directory.resolve("classes").toString(),
                            Path.of("other-classes").toAbsolutePath().toString());
        } finally {
            System.setProperty("java.class.path", classPath);
        }
    }

    @Test
    void aRelativeClassPathEntryIsMadeAbsoluteBecauseTheWorkerRunsInADirectoryOfItsOwn() {
        String classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", "benchmarks.jar" + File.pathSeparator + "classes");
        try {
            assertThat(WorkerProcess.currentClassPath())
                    .containsExactly(
                            Path.of("benchmarks.jar").toAbsolutePath().toString(),
                            Path.of("classes").toAbsolutePath().toString());
        } finally {
            System.setProperty("java.class.path", classPath);
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
