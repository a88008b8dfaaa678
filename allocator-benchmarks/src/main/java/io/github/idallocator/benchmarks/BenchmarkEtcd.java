package io.github.idallocator.benchmarks;

import io.etcd.jetcd.Client;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private single-member {@code etcd} on free ports of 127.0.0.1 with a jetcd {@link Client} connected to it, for the
 * worker-id store benchmark. The binary is {@code etcd} on {@code PATH}, else {@code /usr/bin/etcd} (Debian's {@code
 * etcd-server}); the data directory lives on tmpfs ({@code /dev/shm}) when there is one, so that fsync costs little,
 * as on a server with a fast disk. Stopped and deleted by {@link #close()}.
 */
public final class BenchmarkEtcd implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final Process process;
    private final String endpoint;
    private final Client client;

    private BenchmarkEtcd(Path binary, Path dir, Process process, String endpoint) {
        this.binary = binary;
        this.dir = dir;
        this.process = process;
        this.endpoint = endpoint;
        this.client = Client.builder().endpoints(endpoint).build();
    }

    /** Starts etcd with its default timing (heartbeat 100 ms, election 1 s) and waits until it is healthy. */
    public static BenchmarkEtcd start() {
        Path binary = binary();
        int clientPort = freePort();
        int peerPort = freePort();
        String endpoint = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path dir;
        try {
            Path shm = Paths.get("/dev/shm");
            dir = Files.isDirectory(shm)
                    ? Files.createTempDirectory(shm, "benchmark-etcd-")
                    : Files.createTempDirectory("benchmark-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(List.of(
                            binary.toString(),
                            "--name",
                            "benchmark",
                            "--data-dir",
                            dir.resolve("data").toString(),
                            "--listen-client-urls",
                            endpoint,
                            "--advertise-client-urls",
                            endpoint,
                            "--listen-peer-urls",
                            peer,
                            "--initial-advertise-peer-urls",
                            peer,
                            "--initial-cluster",
                            "benchmark=" + peer))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException("could not start " + binary, e);
        }
        awaitHealthy(process, endpoint, dir);
        return new BenchmarkEtcd(binary, dir, process, endpoint);
    }

    private static Path binary() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Paths.get(entry, "etcd"))) {
                return Paths.get(entry, "etcd");
            }
        }
        Path debian = Paths.get("/usr/bin/etcd");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        throw new IllegalStateException(
                "no etcd binary on PATH nor at /usr/bin/etcd: install Debian's etcd-server package "
                        + "(apt-get install -y etcd-server) to run the etcd benchmarks");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitHealthy(Process process, String endpoint, Path dir) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                String log = logOf(dir);
                delete(dir);
                throw new IllegalStateException("etcd exited at start: " + log);
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200
                        && response.body().replace(" ", "").contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        String log = logOf(dir);
        delete(dir);
        throw new IllegalStateException("etcd not healthy within " + START_TIMEOUT + ": " + log);
    }

    /** The jetcd client connected to this etcd (closed by {@link #close()}). */
    public Client client() {
        return client;
    }

    /** {@code http://127.0.0.1:<client port>}. */
    public String endpoint() {
        return endpoint;
    }

    /** The process id of etcd, for the processor shares. */
    public long pid() {
        return process.pid();
    }

    /** A one-line description, for the benchmark output. */
    public String describe() {
        String version;
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("etcd");
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            version = "etcd (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            version = "etcd";
        }
        return version + " at " + endpoint + " (" + binary + ", data on " + dir + ")";
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delete(dir);
        }
    }

    private static String logOf(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("etcd.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: tmpfs or the temp directory
        }
    }
}
