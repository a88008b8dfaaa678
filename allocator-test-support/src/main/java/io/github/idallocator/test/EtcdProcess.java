package io.github.idallocator.test;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code etcd} process for tests, on free loopback client and peer ports with its data directory on tmpfs when
 * there is one (etcd 3.4 has no {@code --unsafe-no-fsync}). It is one member of a cluster ({@link EtcdCluster}) or a
 * cluster on its own ({@link #startSingle()}, or {@link #startSingleTls(TestCertificates, boolean)} with TLS on the
 * client port); it can be stopped, killed, paused ({@code SIGSTOP}), resumed and restarted on the same ports and data.
 */
public final class EtcdProcess implements AutoCloseable {

    /** Where the binary is looked up first: a system property, then {@code etcd} on PATH, then /usr/bin/etcd. */
    public static final String BINARY_PROPERTY = "idallocator.etcd.binary";

    /** Why the etcd tests skip where no binary is found, with the package to install. */
    public static final String MISSING_MESSAGE = "no etcd binary found (system property " + BINARY_PROPERTY
            + ", PATH, /usr/bin/etcd): install Debian's etcd-server package (apt-get install -y etcd-server) to run"
            + " the etcd tests";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path binary;
    private final String name;
    private final int clientPort;
    private final int peerPort;
    private final String initialCluster;
    private final Path dataDir;
    private final Path log;
    private final TestCertificates certificates; // null: plain http
    private final boolean mutualTls;
    private final HttpClient http;
    private Process process;

    private EtcdProcess(
            Path binary,
            String name,
            int clientPort,
            int peerPort,
            String initialCluster,
            Path dir,
            TestCertificates certificates,
            boolean mutualTls) {
        this.binary = binary;
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.initialCluster = initialCluster;
        this.dataDir = dir.resolve("data");
        this.log = dir.resolve("etcd.log");
        this.certificates = certificates;
        this.mutualTls = mutualTls;
        this.http = certificates == null
                ? HTTP
                : HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(1))
                        .sslContext(certificates.sslContext(mutualTls))
                        .build();
    }

    /** The etcd binary, if there is one. */
    public static Optional<Path> binary() {
        String property = System.getProperty(BINARY_PROPERTY, "");
        if (!property.isBlank()) {
            return Optional.of(Paths.get(property)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "etcd"))) {
                return Optional.of(Paths.get(dir, "etcd"));
            }
        }
        return Optional.of(Paths.get("/usr/bin/etcd")).filter(Files::isExecutable);
    }

    /** Starts a single-member cluster and waits until it is healthy. */
    public static EtcdProcess startSingle() {
        int client = freePort();
        int peer = freePort();
        EtcdProcess etcd = create("n1", client, peer, "n1=http://127.0.0.1:" + peer);
        etcd.start(true);
        etcd.awaitHealthy();
        return etcd;
    }

    /**
     * Starts a single-member cluster whose client port speaks TLS only ({@code https://127.0.0.1:<port>}) with the
     * server certificate of {@code certificates}, and waits until it is healthy. With {@code mutual} it also asks every
     * client for a certificate signed by the test CA ({@code --client-cert-auth}) and refuses clients without one. The
     * peer port stays plain http.
     */
    public static EtcdProcess startSingleTls(TestCertificates certificates, boolean mutual) {
        int client = freePort();
        int peer = freePort();
        EtcdProcess etcd = create("n1", client, peer, "n1=http://127.0.0.1:" + peer, certificates, mutual);
        etcd.start(true);
        etcd.awaitHealthy();
        return etcd;
    }

    /** A member of a cluster, not started yet; {@code initialCluster} lists every member's peer URL. */
    public static EtcdProcess create(String name, int clientPort, int peerPort, String initialCluster) {
        return create(name, clientPort, peerPort, initialCluster, null, false);
    }

    private static EtcdProcess create(
            String name,
            int clientPort,
            int peerPort,
            String initialCluster,
            TestCertificates certificates,
            boolean mutualTls) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(MISSING_MESSAGE));
        try {
            Path parent = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : null;
            Path dir = parent == null
                    ? Files.createTempDirectory("etcd-" + name + "-")
                    : Files.createTempDirectory(parent, "etcd-" + name + "-");
            return new EtcdProcess(binary, name, clientPort, peerPort, initialCluster, dir, certificates, mutualTls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free TCP port on the loopback address. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process ({@code newCluster}: the first start of the cluster's data) without waiting for health. */
    public synchronized void start(boolean newCluster) {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--name",
                name,
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                endpoint(),
                "--advertise-client-urls",
                endpoint(),
                "--listen-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-state",
                newCluster ? "new" : "existing",
                "--initial-cluster-token",
                "idalloc-test",
                // Faster elections than the defaults (100/1000 ms): leader changes in tests take about a second, and
                // the server's minimum lease TTL (1.5 election timeouts) stays at 1 s.
                "--heartbeat-interval",
                "50",
                "--election-timeout",
                "500"));
        if (certificates != null) {
            command.addAll(List.of(
                    "--cert-file",
                    certificates.serverCertificate().toString(),
                    "--key-file",
                    certificates.serverPrivateKey().toString()));
            if (mutualTls) {
                command.addAll(List.of(
                        "--client-cert-auth",
                        "--trusted-ca-file",
                        certificates.caCertificate().toString()));
            }
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
    }

    /** Waits until {@code /health} answers {@code "health":"true"} (which needs a leader). */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!isRunning()) {
                throw new IllegalStateException("etcd " + name + " exited: " + logTail());
            }
            if (isHealthy()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("etcd " + name + " not healthy within " + START_TIMEOUT + ": " + logTail());
    }

    /** Whether {@code /health} answers {@code "health":"true"} now. */
    public boolean isHealthy() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this member is the Raft leader, by the gRPC gateway's {@code /v3/maintenance/status}. */
    public boolean isLeader() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/v3/maintenance/status"))
                            .timeout(Duration.ofSeconds(1))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher member = Pattern.compile("\"member_id\":\"(\\d+)\"").matcher(response.body());
            Matcher leader = Pattern.compile("\"leader\":\"(\\d+)\"").matcher(response.body());
            return response.statusCode() == 200
                    && member.find()
                    && leader.find()
                    && member.group(1).equals(leader.group(1));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The member's name, such as {@code n1}. */
    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<client port>}, or {@code https://...} when the client port speaks TLS. */
    public String endpoint() {
        return (certificates == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    /** The client port. */
    public int clientPort() {
        return clientPort;
    }

    /** The peer port. */
    public int peerPort() {
        return peerPort;
    }

    /** The process id of the running process. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether the process is alive (also while paused). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the process with SIGTERM (resuming it first if paused) and waits for it to exit. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        signal("CONT");
        process.destroy();
        waitFor();
    }

    /** Kills the process with SIGKILL, as a crash would. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        waitFor();
    }

    /** Pauses the process with SIGSTOP: it keeps its ports but answers nothing, as a frozen VM would. */
    public void pause() {
        signal("STOP");
    }

    /** Resumes a paused process with SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    /** Starts a stopped or killed member again on the same ports and data, and waits until it is healthy. */
    public void restart() {
        stop();
        start(false);
        awaitHealthy();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last 20 lines of the member's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the process and deletes its data directory. */
    @Override
    public void close() {
        stop();
        Path dir = dataDir.getParent();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory is on tmpfs or in the temp directory
        }
    }

    @Override
    public String toString() {
        return "etcd " + name + " on " + endpoint() + (isRunning() ? "" : " (not running)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
