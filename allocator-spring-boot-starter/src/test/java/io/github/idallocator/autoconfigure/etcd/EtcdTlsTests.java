package io.github.idallocator.autoconfigure.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyException;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.etcd.EtcdUnavailableException;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.spring.IdAllocatorStartupException;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.TestCertificates;
import io.github.idallocator.test.WithRedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The etcd backend over TLS ({@code https} endpoints, {@code idallocator.etcd.ssl.bundle}) against real etcd processes
 * whose client port speaks TLS only: one that checks no client certificate and one that requires it ({@code
 * --client-cert-auth}). Certificates come from {@link TestCertificates}; skipped where no etcd binary is installed.
 */
@WithRedisServer
class EtcdTlsTests {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** Where the claim is expected to fail: no request waits longer than this for an etcd that never answers. */
    private static final String FAIL_FAST = "idallocator.etcd.timeout=300ms";

    private static TestCertificates certs;
    private static EtcdProcess serverAuth;
    private static EtcdProcess mutual;

    private final RedisServerProcess redis;

    EtcdTlsTests(RedisServerProcess redis) {
        this.redis = redis;
    }

    @BeforeAll
    static void startEtcd() {
        Assumptions.assumeTrue(EtcdProcess.binary().isPresent(), EtcdProcess.MISSING_MESSAGE);
        certs = TestCertificates.shared();
        CompletableFuture<EtcdProcess> second = new CompletableFuture<>();
        new Thread(() -> {
                    try {
                        second.complete(EtcdProcess.startSingleTls(certs, true));
                    } catch (RuntimeException e) {
                        second.completeExceptionally(e);
                    }
                })
                .start();
        serverAuth = EtcdProcess.startSingleTls(certs, false);
        mutual = second.join();
    }

    @AfterAll
    static void stopEtcd() {
        if (serverAuth != null) {
            serverAuth.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    @Test
    void aWorkerIdIsClaimedOverTlsTrustingTheBundlesCa() {
        String namespace = namespace();
        runner(serverAuth, namespace)
                .withPropertyValues(
                        "idallocator.etcd.ssl.bundle=etcd",
                        "spring.ssl.bundle.pem.etcd.truststore.certificate="
                                + certs.caCertificate().toUri())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);

                    assertThat(generator.nextId()).isPositive();
                    assertThat(context.getBean(SnowflakeWorker.class).backend()).isEqualTo("etcd");
                    assertThat(etcdValue(context, namespace + "workers/" + generator.workerId()))
                            .isNotNull();
                });
    }

    @Test
    void theBundlesClientCertificateIsPresentedToAnEtcdThatRequiresOne() {
        String namespace = namespace();
        runner(mutual, namespace)
                .withPropertyValues(
                        "idallocator.etcd.ssl.bundle=etcd",
                        "spring.ssl.bundle.pem.etcd.truststore.certificate="
                                + certs.caCertificate().toUri(),
                        "spring.ssl.bundle.pem.etcd.keystore.certificate="
                                + certs.clientCertificate().toUri(),
                        "spring.ssl.bundle.pem.etcd.keystore.private-key="
                                + certs.clientPrivateKey().toUri())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    long workerId = context.getBean(SnowflakeIdGenerator.class).workerId();

                    assertThat(etcdValue(context, namespace + "workers/" + workerId))
                            .isNotNull();
                });
    }

    @Test
    void withoutAClientCertificateAnEtcdThatRequiresOneRefusesTheHandshakeAndStartUpFailsNamingTheBundle() {
        runner(mutual, namespace())
                .withPropertyValues(
                        "idallocator.etcd.ssl.bundle=etcd",
                        "spring.ssl.bundle.pem.etcd.truststore.certificate="
                                + certs.caCertificate().toUri())
                .run(context -> assertHandshakeRefused(
                        context, mutual, "etcd", "etcd refused the client certificate or its absence"));
    }

    @Test
    void aBundleTrustingAnotherCaRejectsEtcdsCertificateAndStartUpFailsNamingTheBundle() {
        runner(serverAuth, namespace())
                .withPropertyValues(
                        "idallocator.etcd.ssl.bundle=etcd",
                        "spring.ssl.bundle.pem.etcd.truststore.certificate="
                                + certs.otherCaCertificate().toUri())
                .run(context ->
                        assertHandshakeRefused(context, serverAuth, "etcd", "not signed by a CA of the trust store"));
    }

    @Test
    void withoutABundleTheJvmsDefaultCasAreTrustedAndATestCaIsNotAmongThem() {
        runner(serverAuth, namespace())
                .run(context ->
                        assertHandshakeRefused(context, serverAuth, null, "not signed by a CA of the trust store"));
    }

    @Test
    void anUnreachableTlsEndpointIsNotATlsMatterAndTheClaimTimesOut() {
        runner(serverAuth, namespace())
                .withPropertyValues(
                        "idallocator.etcd.endpoints=https://127.0.0.1:" + EtcdProcess.freePort(),
                        "idallocator.etcd.ssl.bundle=etcd",
                        "spring.ssl.bundle.pem.etcd.truststore.certificate="
                                + certs.caCertificate().toUri())
                .withPropertyValues(FAIL_FAST)
                .run(context -> {
                    IdAllocatorStartupException e = cause(context, IdAllocatorStartupException.class);
                    assertThat(e.getMessage()).contains("could not claim a worker id from etcd");
                    assertThat(e.getCause()).isInstanceOf(EtcdUnavailableException.class);
                });
    }

    @Test
    void anUnknownBundleFailsStartUpNamingTheProperty() {
        runner(serverAuth, namespace())
                .withPropertyValues("idallocator.etcd.ssl.bundle=missing")
                .run(context -> {
                    InvalidIdAllocatorPropertyException e = cause(context, InvalidIdAllocatorPropertyException.class);
                    assertThat(e.property()).isEqualTo("idallocator.etcd.ssl.bundle");
                    assertThat(e.value()).isEqualTo("missing");
                    assertThat(e.action()).contains("spring.ssl.bundle.pem.missing.");
                });
    }

    @Test
    void aBundleWhoseCertificateFileIsMissingFailsStartUpNamingThePath() {
        String path = certs.caCertificate().resolveSibling("no-such-ca.pem").toString();
        runner(serverAuth, namespace())
                .withPropertyValues(
                        "idallocator.etcd.ssl.bundle=etcd", "spring.ssl.bundle.pem.etcd.truststore.certificate=" + path)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure())).contains(path);
                });
    }

    /**
     * Start-up failed before any claim, naming {@code idallocator.etcd.ssl.bundle} (its value: {@code bundle}) and why
     * the handshake with {@code etcd} failed; jetcd alone would only have timed out.
     */
    private static void assertHandshakeRefused(
            AssertableApplicationContext context, EtcdProcess etcd, @Nullable String bundle, String why) {
        InvalidIdAllocatorPropertyException e = cause(context, InvalidIdAllocatorPropertyException.class);
        assertThat(e.property()).isEqualTo("idallocator.etcd.ssl.bundle");
        assertThat(e.value()).isEqualTo(bundle);
        assertThat(e.reason())
                .contains("a TLS handshake with etcd at "
                        + URI.create(etcd.endpoint()).getAuthority() + " failed")
                .contains(why);
        assertThat(e.action()).contains("truststore.certificate");
    }

    private ApplicationContextRunner runner(EtcdProcess etcd, String namespace) {
        return TestContexts.withRedis(redis, EtcdWorkerIdAutoConfiguration.class)
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues(
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.backend=etcd",
                        "idallocator.snowflake.lease-ttl=3s",
                        "idallocator.snowflake.heartbeat-interval=500ms",
                        "idallocator.snowflake.safety-margin=200ms",
                        "idallocator.etcd.endpoints=" + etcd.endpoint(),
                        "idallocator.etcd.namespace=" + namespace,
                        "idallocator.etcd.timeout=1s");
    }

    private static <T extends Throwable> T cause(AssertableApplicationContext context, Class<T> type) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (cause != null && !type.isInstance(cause)) {
            cause = cause.getCause();
        }
        assertThat(cause)
                .as("%s in %s", type.getSimpleName(), context.getStartupFailure())
                .isNotNull();
        return type.cast(cause);
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private static String namespace() {
        return "test/tls-" + NAMESPACES.incrementAndGet() + "-"
                + ProcessHandle.current().pid() + "/";
    }

    private static @Nullable String etcdValue(AssertableApplicationContext context, String key) throws Exception {
        var kvs = context.getBean(Client.class)
                .getKVClient()
                .get(ByteSequence.from(key, StandardCharsets.UTF_8))
                .get(5, TimeUnit.SECONDS)
                .getKvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    }
}
