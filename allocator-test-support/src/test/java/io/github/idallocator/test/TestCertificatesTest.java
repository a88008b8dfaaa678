package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The certificates {@code keytool} makes for the TLS tests: who signed them, for which names, with which keys. */
class TestCertificatesTest {

    private final TestCertificates certs = TestCertificates.shared();

    @Test
    void theServerCertificateIsSignedByTheCaForTheLoopbackAddressAndLocalhost() throws Exception {
        X509Certificate server = certificate(certs.serverCertificate());

        server.verify(certificate(certs.caCertificate()).getPublicKey());
        assertThat(server.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void theClientCertificateIsSignedByTheCaForClientAuthentication() throws Exception {
        X509Certificate client = certificate(certs.clientCertificate());

        client.verify(certificate(certs.caCertificate()).getPublicKey());
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void theOtherCaSignedNeitherCertificate() throws Exception {
        X509Certificate other = certificate(certs.otherCaCertificate());

        assertThat(other.getBasicConstraints()).isNotNegative();
        assertThatThrownBy(() -> certificate(certs.serverCertificate()).verify(other.getPublicKey()))
                .isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> certificate(certs.clientCertificate()).verify(other.getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void thePrivateKeysArePkcs8PemFilesMatchingTheirCertificates() throws Exception {
        assertMatch(certs.serverPrivateKey(), certs.serverCertificate());
        assertMatch(certs.clientPrivateKey(), certs.clientCertificate());
    }

    private static void assertMatch(Path keyFile, Path certificateFile) throws Exception {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        byte[] data = "idalloc".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate(certificateFile).getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature))
                .as("%s signs for %s", keyFile, certificateFile)
                .isTrue();
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }
}
