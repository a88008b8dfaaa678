package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code RedisServerProcess.Builder.exitGrace}: whether a redis-server outlives the start of its JVM's exit long enough
 * for the owner's own shutdown to use it (the sample application releases its leases then). Runs in worker JVMs because
 * it is about what happens when a JVM exits.
 */
class RedisServerExitGraceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path LOGS = Path.of("target", "workers", "RedisServerExitGraceTest");

    @Test
    void withAGraceTheServerStillAnswersTheOwnersLastCommandAndStopsWhenTheOwnerClosesIt() {
        try (WorkerProcess worker = start("with-grace", "10000", "close")) {
            long redisPid = redisPid(worker);

            worker.stop(TIMEOUT);

            assertThat(worker.outputLines()).contains("LAST-COMMAND PONG", "CLOSED");
            assertThat(isAlive(redisPid)).isFalse();
        }
    }

    @Test
    void withoutAGraceTheServerIsKilledAsTheJvmStartsToExit() {
        try (WorkerProcess worker = start("without-grace", "0", "close")) {
            long redisPid = redisPid(worker);

            worker.stop(TIMEOUT);

            assertThat(worker.outputLines()).anyMatch(line -> line.startsWith("LAST-COMMAND FAILED"));
            assertThat(isAlive(redisPid)).isFalse();
        }
    }

    @Test
    void aServerItsOwnerNeverClosesIsKilledWhenTheGraceIsOver() {
        try (WorkerProcess worker = start("never-closed", "2000", "never-close")) {
            long redisPid = redisPid(worker);

            worker.stop(TIMEOUT);

            assertThat(worker.outputLines()).contains("LAST-COMMAND PONG").doesNotContain("CLOSED");
            assertThat(isAlive(redisPid)).isFalse();
        }
    }

    private static WorkerProcess start(String name, String graceMillis, String closes) {
        return WorkerProcess.builder(name, ExitGraceWorker.class)
                .parentDirectory(LOGS)
                .arguments(graceMillis, closes)
                .start();
    }

    private static long redisPid(WorkerProcess worker) {
        String ready = worker.awaitReady(TIMEOUT);
        return Long.parseLong(ready.substring(ready.indexOf("redis-pid=") + "redis-pid=".length()));
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
