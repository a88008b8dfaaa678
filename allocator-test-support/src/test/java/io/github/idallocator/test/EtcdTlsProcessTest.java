package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EtcdProcess#startSingleTls}: a real etcd whose client port speaks TLS only, with and without client certs. */
class EtcdTlsProcessTest {

    private static TestCertificates certs;

    @BeforeAll
    static void certificates() {
        Assumptions.assumeTrue(EtcdProcess.binary().isPresent(), EtcdProcess.MISSING_MESSAGE);
        certs = TestCertificates.shared();
    }

    @Test
    void aTlsMemberAnswersOverHttpsToClientsTrustingTheCa() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.startSingleTls(certs, false)) {
            assertThat(etcd.endpoint()).isEqualTo("https://127.0.0.1:" + etcd.clientPort());

            assertThat(health(client(certs, false), etcd).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> health(HttpClient.newHttpClient(), etcd))
                    .as("a client trusting only the JVM's default CAs")
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void aMutualTlsMemberRefusesClientsWithoutACertificate() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.startSingleTls(certs, true)) {
            assertThat(etcd.isHealthy()).isTrue();

            assertThat(health(client(certs, true), etcd).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> health(client(certs, false), etcd)).isInstanceOf(IOException.class);
        }
    }

    private static HttpClient client(TestCertificates certs, boolean withClientCertificate) {
        return HttpClient.newBuilder()
                .sslContext(certs.sslContext(withClientCertificate))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    private static HttpResponse<String> health(HttpClient client, EtcdProcess etcd) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
