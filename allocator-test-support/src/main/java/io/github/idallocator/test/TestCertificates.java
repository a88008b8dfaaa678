package io.github.idallocator.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made at test time by the JDK's own {@code keytool} (no openssl, no BouncyCastle): a test
 * CA, a server certificate for {@code IP:127.0.0.1} and {@code DNS:localhost} signed by it, a client certificate signed
 * by it, and a second CA that signed nothing (a wrong trust anchor). Certificates are PEM files, private keys PKCS#8
 * PEM files ({@code BEGIN PRIVATE KEY}), as etcd and Spring Boot's PEM SSL bundles read them. EC P-256 keys, valid for
 * two days.
 */
public final class TestCertificates {

    private static final String PASSWORD = "changeit";
    private static TestCertificates shared;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * One set of certificates for the whole JVM, made on first use in a temporary directory deleted when the JVM
     * exits: making them runs {@code keytool} several times (about two seconds).
     */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("idalloc-certs-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                shared = generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Makes a new set of certificates in {@code dir}, which must exist. */
    public static TestCertificates generate(Path dir) {
        TestCertificates certs = new TestCertificates(dir);
        // independent key pairs in parallel: each keytool run is a JVM start
        all(
                () -> certs.keyPair("ca", "CN=idalloc test CA", "bc:c"),
                () -> certs.keyPair("other-ca", "CN=idalloc other CA", "bc:c"),
                () -> certs.keyPair("server", "CN=localhost"),
                () -> certs.keyPair("client", "CN=idalloc test client"));
        all(
                // etcd's own gateway connects to its client port with the server certificate: clientAuth too
                () -> certs.sign("server", "SAN=IP:127.0.0.1,DNS:localhost", "EKU=serverAuth,clientAuth"),
                () -> certs.sign("client", "EKU=clientAuth"));
        certs.writeCertificate("ca");
        certs.writeCertificate("other-ca");
        certs.writePrivateKey("server");
        certs.writePrivateKey("client");
        return certs;
    }

    /** The test CA's certificate (PEM): trust it to trust the server and client certificates. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** A second CA's certificate (PEM) that signed none of these certificates: trusting it trusts neither. */
    public Path otherCaCertificate() {
        return dir.resolve("other-ca.pem");
    }

    /** The server certificate (PEM) for {@code IP:127.0.0.1} and {@code DNS:localhost}, signed by the test CA. */
    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    /** The server certificate's private key (PKCS#8 PEM). */
    public Path serverPrivateKey() {
        return dir.resolve("server-key.pem");
    }

    /** The client certificate (PEM), signed by the test CA, for mutual TLS. */
    public Path clientCertificate() {
        return dir.resolve("client.pem");
    }

    /** The client certificate's private key (PKCS#8 PEM). */
    public Path clientPrivateKey() {
        return dir.resolve("client-key.pem");
    }

    /**
     * A JDK {@link SSLContext} that trusts the test CA, and presents the client certificate when {@code withClient} is
     * true.
     */
    public SSLContext sslContext(boolean withClient) {
        try {
            KeyStore trust = emptyStore();
            trust.setCertificateEntry("ca", certificate(caCertificate()));
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (withClient) {
                KeyStore keys = emptyStore();
                keys.setKeyEntry("client", privateKey("client"), PASSWORD.toCharArray(), new Certificate[] {
                    certificate(clientCertificate()), certificate(caCertificate())
                });
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build an SSLContext of the certificates in " + dir, e);
        }
    }

    private void keyPair(String alias, String name, String... extensions) {
        List<String> args =
                new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keystore", alias + ".p12", "-dname", name));
        for (String extension : extensions) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args.toArray(String[]::new));
    }

    /** Writes the certificate of {@code alias}'s key store as PEM, as {@code keytool -exportcert -rfc} would. */
    private void writeCertificate(String alias) {
        try {
            writePem(
                    alias + ".pem",
                    "CERTIFICATE",
                    load(alias).getCertificate(alias).getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not write the certificate of " + alias + " in " + dir, e);
        }
    }

    private void sign(String alias, String... extensions) {
        keytool("-certreq", "-alias", alias, "-keystore", alias + ".p12", "-file", alias + ".csr");
        List<String> args = new ArrayList<>(List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                alias + ".csr",
                "-outfile",
                alias + ".pem"));
        for (String extension : extensions) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args.toArray(String[]::new));
    }

    private void writePrivateKey(String alias) {
        try {
            writePem(alias + "-key.pem", "PRIVATE KEY", privateKey(alias).getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not write the private key of " + alias + " in " + dir, e);
        }
    }

    private void writePem(String file, String type, byte[] der) throws IOException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        Files.writeString(
                dir.resolve(file),
                "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }

    /** The private key of {@code alias} from its PKCS12 key store; its encoding is PKCS#8. */
    private PrivateKey privateKey(String alias) throws GeneralSecurityException, IOException {
        return (PrivateKey) load(alias).getKey(alias, PASSWORD.toCharArray());
    }

    private KeyStore load(String alias) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static X509Certificate certificate(Path pem) throws GeneralSecurityException, IOException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    /** Runs the keytool of the running JVM's java.home in {@code dir}, failing with its output when it fails. */
    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM: C1 only and the serial collector start it about twice as fast
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        command.addAll(List.of(args));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        if (args[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the tasks on threads of their own (the common pool has one thread on two cores) and waits for all. */
    private static void all(Runnable... tasks) {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.length);
        try {
            List<Future<?>> futures =
                    Stream.of(tasks).<Future<?>>map(executor::submit).toList();
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            executor.shutdownNow();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort, at JVM exit
        }
    }

    @Override
    public String toString() {
        return "test certificates in " + dir;
    }
}
