package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/** The packaged sample ({@code target/allocator-sample-app.jar}) running in a JVM of its own, on a free port. */
final class SampleJar implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final RestClient http;

    private SampleJar(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.http = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    /** Runs {@code java -jar} with the arguments and waits until {@code /actuator/health} answers 200. */
    static SampleJar start(String logName, String... arguments) throws Exception {
        Path jar = Paths.get(System.getProperty("sample.jar", "target/allocator-sample-app.jar"));
        assertThat(jar).as("the packaged sample (run mvn package first)").exists();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--server.port=" + port));
        command.addAll(List.of(arguments));
        Path log = jar.resolveSibling(logName);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SampleJar app = new SampleJar(process, log, port);
        app.awaitHealthy();
        return app;
    }

    RestClient http() {
        return http;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM, as a container runtime does, and waits for the JVM to exit. */
    boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The sample exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (http.get()
                        .uri("/actuator/health")
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .is2xxSuccessful()) {
                    return;
                }
            } catch (RuntimeException notListeningYet) {
                // connection refused until the web server is up
            }
            Thread.sleep(200);
        }
        close();
        throw new AssertionError("The sample did not become healthy within " + START_TIMEOUT + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
