package io.github.idallocator.sample;

import io.github.idallocator.test.RedisBinary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server child process on a free port of 127.0.0.1, without persistence, for {@link EmbeddedRedisFallback}. It
 * stops when {@link #close()} is called (the application context closes it after everything that uses Redis has
 * stopped) and, failing that, when the JVM exits: the exit hook first waits for the context to close it, so the
 * application can still release its leases on SIGTERM.
 */
final class EmbeddedRedisServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private static final int PORT_ATTEMPTS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    private final RedisBinary binary;
    private final Process process;
    private final int port;
    private final Path directory;
    private final CountDownLatch closed = new CountDownLatch(1);

    private EmbeddedRedisServer(RedisBinary binary, Process process, int port, Path directory) {
        this.binary = binary;
        this.process = process;
        this.port = port;
        this.directory = directory;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAtExit, "embedded-redis-exit"));
    }

    /** Starts redis-server (from the PATH, else the one in the embedded-redis jar) and waits until it answers PING. */
    static EmbeddedRedisServer start() {
        RedisBinary binary = RedisBinary.detect();
        Path directory = createDirectory();
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            Process process = launch(binary, port, directory);
            if (awaitPong(process, port)) {
                return new EmbeddedRedisServer(binary, process, port, directory);
            }
            process.destroyForcibly();
        }
        throw new IllegalStateException(
                "redis-server " + binary + " did not start; see " + directory.resolve("redis.log"));
    }

    String host() {
        return HOST;
    }

    int port() {
        return port;
    }

    String version() {
        return binary.version();
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after {@code 5s}) and deletes its directory. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            deleteDirectory();
            closed.countDown();
        }
    }

    private void stopAtExit() {
        try {
            if (!closed.await(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static Process launch(RedisBinary binary, int port, Path directory) {
        try {
            Process process = new ProcessBuilder(
                            binary.path().toString(),
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            HOST,
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--protected-mode",
                            "no",
                            "--dir",
                            directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("redis.log").toFile()))
                    .start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + binary.path(), e);
        }
    }

    /** Whether {@code process} answers PING on {@code port} before it exits (for example because the port was taken). */
    private static boolean awaitPong(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (pong(port) && process.isAlive()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static boolean pong(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return "+PONG".equals(in.readLine());
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        }
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("idallocator-sample-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for redis-server", e);
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException leftForTheOperatingSystem) {
            // a temporary directory left behind is harmless
        }
    }
}
